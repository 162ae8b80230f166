package io.hearth.engine.start;

import io.hearth.protocol.EngineLaunch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils;

/** Starts the session's one SparkSession from the engine's Spark configuration, filling in what was left out. */
public final class SparkStarter {

    /** Where JVM-language statements write compiled classes; Spark serves it to executors at {@code /classes}. */
    public static final String REPL_CLASS_DIR = "spark.repl.class.outputDir";

    /**
     * A cancelled job's Python tasks run on until Spark kills their Python workers: it notices the cancel within 2 s,
     * then gives the task this long to end by itself (Spark's default is 2 s) while it holds its executor slot from the
     * jobs of the statements that follow. A cancelled task has nothing left to finish cleanly.
     */
    static final String PYTHON_TASK_KILL_TIMEOUT = "spark.python.task.killTimeout";
    static final String DEFAULT_PYTHON_TASK_KILL_TIMEOUT = "200ms";

    private final String sessionId;
    private final SessionClassLoader classLoader;

    public SparkStarter(String sessionId) {
        this.sessionId = sessionId;
        this.classLoader = new SessionClassLoader(Thread.currentThread().getContextClassLoader());
    }

    /** The loader Spark was started with, where interpreters register the loaders of classes they define. */
    public SessionClassLoader classLoader() {
        return classLoader;
    }

    public SparkSession start(Map<String, String> sparkConf) throws EngineStartException {
        SparkConf conf = new SparkConf(false);
        sparkConf.forEach(conf::set);
        conf.setIfMissing("spark.master", EngineLaunch.DEFAULT_MASTER);
        conf.setIfMissing("spark.app.name", EngineLaunch.defaultAppName(sessionId));
        // The REPL class directory must be known before the context starts, or executors never get a class URI.
        // Spark's temp dirs are deleted at JVM exit. Isolation off, as in Spark's own REPL: one class space per session.
        if (!conf.contains(REPL_CLASS_DIR)) {
            conf.set(REPL_CLASS_DIR, Utils.createTempDir(System.getProperty("java.io.tmpdir"), "hearth-repl")
                    .getAbsolutePath());
        }
        conf.setIfMissing("spark.sql.artifact.isolation.enabled", "false");
        MasterProbe.check(conf.get("spark.master"), Duration.ofMillis(
                conf.getTimeAsMs(MasterProbe.TIMEOUT_KEY, MasterProbe.DEFAULT_TIMEOUT)));
        conf.setIfMissing(PYTHON_TASK_KILL_TIMEOUT, DEFAULT_PYTHON_TASK_KILL_TIMEOUT);
        ObjectStorageDefaults.apply(conf);
        DriverAuthentication.apply(conf, System.getenv());
        // Spark captures the context class loader while it starts (see SessionClassLoader).
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try (StartErrorLog errors = StartErrorLog.attach()) {
            try {
                return SparkSession.builder().config(conf).getOrCreate();
            } catch (RuntimeException | LinkageError e) {
                List<String> logged = errors.errors();
                throw new EngineStartException("Spark did not start (master " + conf.get("spark.master") + "): "
                        + (logged.isEmpty() ? "" : String.join("; ", logged) + "; then ") + e, e);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
