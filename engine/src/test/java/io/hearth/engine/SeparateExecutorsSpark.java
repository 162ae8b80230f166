package io.hearth.engine;

import io.hearth.engine.scala.JvmClassPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spark configuration for tests whose executors must run in JVMs of their own, as on a real cluster: Spark's
 * {@code local-cluster} master, with no Spark distribution, just this build's class path. What it needs from the test
 * JVM's environment (set by Surefire, see the engine's pom): {@code SPARK_HOME} naming a writable directory (an empty
 * {@code jars/} is created in it; executor logs land in its {@code work/}), {@code SPARK_SCALA_VERSION=2.13} and
 * {@code SPARK_LOCAL_IP=127.0.0.1}. Start the session with {@link #conf} plus whatever the test adds.
 */
public final class SeparateExecutorsSpark {

    /** Two executor JVMs (workers) of one core each, 1 GiB of worker memory per executor JVM. */
    public static final String MASTER = "local-cluster[2,1,1024]";
    public static final int EXECUTORS = 2;

    private SeparateExecutorsSpark() {
    }

    /** The configuration of a session on {@link #MASTER}; the returned map is the caller's to extend. */
    public static Map<String, String> conf() {
        Path sparkHome = sparkHome();
        try {
            // Workers build executor class paths from SPARK_HOME/jars; empty is fine, extraClassPath supplies the jars.
            Files.createDirectories(sparkHome.resolve("jars"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare SPARK_HOME " + sparkHome, e);
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", MASTER);
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.sql.shuffle.partitions", "2");
        conf.put("spark.executor.memory", "512m"); // must fit the 1024 MiB each worker offers
        conf.put("spark.executor.extraClassPath", JvmClassPath.asString());
        conf.put("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        return conf;
    }

    /**
     * Waits until all executors have registered, so that a test's first job is spread over separate JVMs rather than
     * run by whichever came up first. Executors take 5–15 s to start on a loaded 2-core machine.
     */
    public static void awaitExecutors(org.apache.spark.SparkContext sc, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The status tracker lists the driver too.
        while (sc.statusTracker().getExecutorInfos().length < EXECUTORS + 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + (sc.statusTracker().getExecutorInfos().length - 1) + " of "
                        + EXECUTORS + " executors registered within " + timeout + "; see their logs under "
                        + sparkHome().resolve("work"));
            }
            Thread.sleep(100);
        }
    }

    private static Path sparkHome() {
        String home = System.getenv("SPARK_HOME");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("SPARK_HOME is not set: local-cluster tests need it (the engine's pom "
                    + "sets it for Surefire)");
        }
        return Path.of(home);
    }
}
