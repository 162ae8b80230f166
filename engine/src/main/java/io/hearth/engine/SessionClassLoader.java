package io.hearth.engine;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * The class loader Spark's driver resolves classes through: the application's classes and, once the Scala REPL has
 * started, the classes its statements define. Spark's driver threads and the local executor take the context class
 * loader of the thread that starts the SparkContext, long before the REPL exists; this loader is set there so that a
 * task result holding a REPL class (say an array of a case class) is read back as that same class.
 */
public final class SessionClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private volatile ClassLoader repl;

    public SessionClassLoader(ClassLoader parent) {
        super("hearth-session", parent);
    }

    /** From now on, classes are looked up in the REPL's loader (which asks the application's loader first). */
    void useRepl(ClassLoader replLoader) {
        this.repl = replLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        ClassLoader current = repl;
        return current != null ? current.loadClass(name) : super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        ClassLoader current = repl;
        return current != null ? current.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        ClassLoader current = repl;
        return current != null ? current.getResources(name) : super.getResources(name);
    }
}
