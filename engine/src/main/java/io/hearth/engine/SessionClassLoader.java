package io.hearth.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context class loader the SparkSession is started with; it also finds, by name, the classes that interpreters
 * define later (Java snippets, for instance). Spark keeps the loader it started with: a local executor's class
 * loader delegates to it, and the driver deserializes task results with it. Without this, an object of a cell's class
 * coming back from a job in local mode is a second copy of the class (fetched from the REPL class directory) and
 * fails with a ClassCastException.
 */
public final class SessionClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final List<ClassLoader> interpreterLoaders = new CopyOnWriteArrayList<>();

    public SessionClassLoader(ClassLoader parent) {
        super("hearth-session", parent);
    }

    /** Makes the classes an interpreter defines visible to Spark; the loader must not delegate back to this one. */
    public void addInterpreterLoader(ClassLoader loader) {
        interpreterLoaders.add(loader);
    }

    public void removeInterpreterLoader(ClassLoader loader) {
        interpreterLoaders.remove(loader);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : interpreterLoaders) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException notThere) {
                // try the next interpreter's
            }
        }
        throw new ClassNotFoundException(name);
    }
}
