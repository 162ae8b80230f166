package io.hearth.engine.start;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Turns on Spark's RPC authentication for an engine on a local master. The driver of a local engine listens on the
 * gateway host (RPC and block transfers), and without authentication any process there, another user's session
 * included, could call it: register itself as an executor and be sent tasks and their data. For {@code local} masters
 * Spark makes a fresh secret of its own in the engine's memory, so nothing has to be handed over; every executor is
 * inside the engine. Other masters need a secret the cluster shares (YARN and Kubernetes make one per application when
 * asked): their operators set {@code spark.authenticate}, which a session's own setting also overrides here.
 *
 * <p>A standalone Worker hands a driver it starts (cluster deploy mode) the cluster's secret in its environment
 * ({@link #WORKER_SECRET_ENV}) instead of on its command line, but Spark's driver looks for it only among its
 * settings for a {@code spark://} master: it is taken from there.
 */
final class DriverAuthentication {

    static final String AUTHENTICATE = "spark.authenticate";
    static final String SECRET = "spark.authenticate.secret";
    /** Spark's {@code SecurityManager.ENV_AUTH_SECRET}, where a standalone Worker puts {@link #SECRET}. */
    static final String WORKER_SECRET_ENV = "_SPARK_AUTH_SECRET";

    // Spark's own test for masters whose secret it may make itself: local, local[N], local[*], local[N, F].
    private static final Pattern LOCAL_MASTER = Pattern.compile("local(\\[(\\*|\\d+)(\\s*,\\s*\\d+)?])?");

    private DriverAuthentication() {
    }

    /** @param env the engine's environment */
    static void apply(SparkConf conf, Map<String, String> env) {
        if (LOCAL_MASTER.matcher(conf.get("spark.master", "").trim()).matches()) {
            conf.setIfMissing(AUTHENTICATE, "true");
        }
        String fromWorker = env.get(WORKER_SECRET_ENV);
        if (conf.getBoolean(AUTHENTICATE, false) && !conf.contains(SECRET) && fromWorker != null
                && !fromWorker.isEmpty()) {
            conf.set(SECRET, fromWorker);
        }
    }
}
