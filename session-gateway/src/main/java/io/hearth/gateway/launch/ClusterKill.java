package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster's own client, run through the Spark distribution's {@code spark-class} to kill a cluster-mode driver: its
 * output and how it went are appended to the session log, so that a user reading it sees who ended the driver.
 */
final class ClusterKill {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterKill.class);
    private static final long TIMEOUT_SECONDS = 60;

    private ClusterKill() {}

    /**
     * Runs {@code spark-class mainClass args...} with {@code environment} added, and waits for it; never throws.
     *
     * @param client what the user reads it as, e.g. "the YARN client"
     * @param target the application or driver killed, for the log
     */
    static void run(Path sparkHome, Map<String, String> environment, SessionLog log, String client, String target,
                    String mainClass, String... args) {
        List<String> argv = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
        argv.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.open().toFile()));
            pb.environment().putAll(environment);
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.append("[hearth] " + client + " did not answer within " + TIMEOUT_SECONDS + " s");
            } else if (p.exitValue() != 0) {
                log.append("[hearth] " + client + " could not kill " + target + " (exit code " + p.exitValue() + ")");
            }
        } catch (IOException e) {
            LOG.warn("Could not run {} to kill {}: {}", client, target, e.getMessage());
            log.append("[hearth] could not run " + client + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
