package io.hearth.engine.start;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The context class loader the SparkSession is started with; it also finds, by name, the classes that interpreters
 * define later (Java snippets, Scala REPL lines). Spark keeps the loader it started with: a local executor's class
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

    @Override
    protected URL findResource(String name) {
        for (ClassLoader loader : interpreterLoaders) {
            URL url = loader.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (ClassLoader loader : interpreterLoaders) {
            urls.addAll(Collections.list(loader.getResources(name)));
        }
        return Collections.enumeration(urls);
    }
}
