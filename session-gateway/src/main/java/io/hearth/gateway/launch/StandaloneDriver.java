package io.hearth.gateway.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver of a cluster-mode engine on a Spark standalone cluster, as its spark-submit (Spark's standalone client,
 * waiting for the driver) reports it in the session log: its id, the state it ended in, and killing it through the
 * Master, which a spark-submit stopped on the gateway's host would leave running on its Worker.
 */
final class StandaloneDriver implements ClusterDriver {

    private static final Pattern SUBMITTED = Pattern.compile("Driver successfully submitted as (driver-[\\w-]+)");
    private static final Pattern ENDED = Pattern.compile("State of driver (driver-[\\w-]+) is (\\w+), exiting");
    private static final Pattern FAILED_IN_CLUSTER = Pattern.compile("Exception from cluster");
    private static final int LINES = SessionLog.LINES_KEPT;
    /** The standalone client asks the Master for the driver's state every 10 s, the first time 5 s after submitting. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(12);

    private final Path sparkHome;
    private final String master;
    private final SessionLog log;
    private final Map<String, String> environment;

    /**
     * @param master      the {@code spark://} URL the driver was submitted to
     * @param environment the environment of the client that kills it (spark-submit's, without the engine's variables)
     */
    StandaloneDriver(Path sparkHome, String master, SessionLog log, Map<String, String> environment) {
        this.sparkHome = sparkHome;
        this.master = master;
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    /** The driver id the Master gave, once spark-submit printed it. */
    Optional<String> id() {
        return id(log.tail(LINES));
    }

    static Optional<String> id(List<String> lines) {
        for (String line : lines) {
            Matcher m = SUBMITTED.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> ending() {
        return ending(log.tail(LINES));
    }

    static Optional<String> ending(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = ENDED.matcher(lines.get(i));
            if (m.find()) {
                return Optional.of("the standalone driver " + m.group(1) + " ended " + m.group(2));
            }
            if (FAILED_IN_CLUSTER.matcher(lines.get(i)).find()) {
                return Optional.of("the standalone cluster could not run the driver: " + lines.get(i).strip());
            }
        }
        return Optional.empty();
    }

    @Override
    public Duration exitWait() {
        return EXIT_WAIT;
    }

    /** Kills the driver with Spark's standalone client ({@code org.apache.spark.deploy.Client kill}), over RPC. */
    @Override
    public void kill() {
        Optional<String> driverId = id();
        if (driverId.isEmpty()) {
            return;
        }
        log.append("[hearth] killing the standalone driver " + driverId.get() + " through " + master);
        ClusterKill.run(sparkHome, environment, log, "the standalone client", driverId.get(),
                "org.apache.spark.deploy.Client", "kill", master, driverId.get());
    }
}
