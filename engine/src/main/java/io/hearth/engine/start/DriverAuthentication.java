package io.hearth.engine.start;

import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Turns on Spark's RPC authentication for an engine on a local master. The driver of a local engine listens on the
 * gateway host (RPC and block transfers), and without authentication any process there, another user's session
 * included, could call it: register itself as an executor and be sent tasks and their data. For {@code local} masters
 * Spark makes a fresh secret of its own in the engine's memory, so nothing has to be handed over; every executor is
 * inside the engine. Other masters need a secret the cluster shares (YARN and Kubernetes make one per application when
 * asked): their operators set {@code spark.authenticate}, which a session's own setting also overrides here.
 */
final class DriverAuthentication {

    static final String AUTHENTICATE = "spark.authenticate";

    // Spark's own test for masters whose secret it may make itself: local, local[N], local[*], local[N, F].
    private static final Pattern LOCAL_MASTER = Pattern.compile("local(\\[(\\*|\\d+)(\\s*,\\s*\\d+)?])?");

    private DriverAuthentication() {
    }

    static void apply(SparkConf conf) {
        if (LOCAL_MASTER.matcher(conf.get("spark.master", "").trim()).matches()) {
            conf.setIfMissing(AUTHENTICATE, "true");
        }
    }
}
