package io.hearth.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts the session's one SparkSession from the engine's Spark configuration, filling in what was left out. */
public final class SparkStarter {

    /** What a session gets when the gateway does not name a master: all of this machine's cores. */
    public static final String DEFAULT_MASTER = "local[*]";

    private final String sessionId;
    private final Optional<Path> replClassDir;
    private final Optional<SessionClassLoader> driverClassLoader;

    /** A starter without a REPL class directory: Spark without Scala statements (tests that need only Python). */
    public SparkStarter(String sessionId) {
        this.sessionId = sessionId;
        this.replClassDir = Optional.empty();
        this.driverClassLoader = Optional.empty();
    }

    /**
     * @param replClassDir      where the Scala REPL writes its classes; the driver serves it to executors, which works
     *                          only when it is configured before the SparkContext starts, hence here
     * @param driverClassLoader the context class loader Spark's driver threads inherit, for the same reason
     */
    public SparkStarter(String sessionId, Path replClassDir, SessionClassLoader driverClassLoader) {
        this.sessionId = sessionId;
        this.replClassDir = Optional.of(replClassDir);
        this.driverClassLoader = Optional.of(driverClassLoader);
    }

    public SparkSession start(Map<String, String> sparkConf) throws EngineStartException {
        SparkConf conf = new SparkConf(false);
        sparkConf.forEach(conf::set);
        conf.setIfMissing("spark.master", DEFAULT_MASTER);
        conf.setIfMissing("spark.app.name", "hearth-session-" + sessionId);
        replClassDir.ifPresent(dir -> {
            conf.set(ReplClassDirectory.SPARK_CONF, dir.toAbsolutePath().toString());
            // Spark's own shell turns per-session artifact isolation off, so that executors find REPL classes through
            // the one loader that fetches them from the driver; Hearth's sessions are REPL sessions too.
            conf.set("spark.sql.artifact.isolation.enabled", "false");
        });
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Threads Spark starts now (RPC, scheduler, task results, the local executor) keep this loader for good.
        driverClassLoader.ifPresent(thread::setContextClassLoader);
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException | LinkageError e) {
            throw new EngineStartException("Spark did not start (master " + conf.get("spark.master") + "): " + e, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
