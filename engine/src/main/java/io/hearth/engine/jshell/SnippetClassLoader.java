package io.hearth.engine.jshell;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Defines the classes JShell compiles from snippets, over the engine's own class path, and keeps their bytes (for the
 * closure check). It is also the snippets' {@link SessionBindings}.
 */
final class SnippetClassLoader extends URLClassLoader implements SessionBindings {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();
    private final SparkSession spark;
    private final JavaSparkContext jsc;

    SnippetClassLoader(ClassLoader parent, SparkSession spark) {
        super("hearth-jshell-snippets", new URL[0], parent);
        this.spark = spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** Makes the class definable; JShell declares a whole batch first because its classes refer to each other. */
    void declare(String binaryName, byte[] bytes) {
        declared.put(binaryName, bytes.clone());
    }

    /** The bytes of a class compiled from a snippet, by binary name. */
    Optional<byte[]> bytesOf(String binaryName) {
        return Optional.ofNullable(declared.get(binaryName));
    }

    void addClassPathEntry(URL url) {
        addURL(url);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = declared.get(name);
        if (bytes == null) {
            return super.findClass(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public SparkSession spark() {
        return spark;
    }

    @Override
    public JavaSparkContext jsc() {
        return jsc;
    }
}
