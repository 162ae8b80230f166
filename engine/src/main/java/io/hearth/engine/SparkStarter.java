package io.hearth.engine;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts the session's one SparkSession from the engine's Spark configuration, filling in what was left out. */
public final class SparkStarter {

    /** What a session gets when the gateway does not name a master: all of this machine's cores. */
    public static final String DEFAULT_MASTER = "local[*]";

    private final String sessionId;

    public SparkStarter(String sessionId) {
        this.sessionId = sessionId;
    }

    public SparkSession start(Map<String, String> sparkConf) throws EngineStartException {
        SparkConf conf = new SparkConf(false);
        sparkConf.forEach(conf::set);
        conf.setIfMissing("spark.master", DEFAULT_MASTER);
        conf.setIfMissing("spark.app.name", "hearth-session-" + sessionId);
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException | LinkageError e) {
            throw new EngineStartException("Spark did not start (master " + conf.get("spark.master") + "): " + e, e);
        }
    }
}
