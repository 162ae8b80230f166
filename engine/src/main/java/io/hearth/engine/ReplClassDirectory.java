package io.hearth.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory the Scala REPL writes its classes to. Spark's driver serves it to executors, which is why it must exist
 * and be named in {@value #SPARK_CONF} before the SparkContext starts.
 */
public final class ReplClassDirectory implements AutoCloseable {

    /** The Spark setting that makes the driver serve the REPL's classes to executors (read at SparkContext start). */
    public static final String SPARK_CONF = "spark.repl.class.outputDir";

    private final Path path;

    private ReplClassDirectory(Path path) {
        this.path = path;
    }

    /** Creates a fresh, empty directory under the system's temporary directory. */
    public static ReplClassDirectory create() throws EngineStartException {
        try {
            return new ReplClassDirectory(Files.createTempDirectory("hearth-repl-classes-"));
        } catch (IOException e) {
            throw new EngineStartException("could not create the REPL class directory: " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Deletes the directory and everything the REPL wrote into it. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + path, e);
        }
    }
}
