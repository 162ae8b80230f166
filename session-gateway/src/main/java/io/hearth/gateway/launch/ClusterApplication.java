package io.hearth.gateway.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The YARN application of a cluster-mode engine, as its spark-submit reports it in the session log: its id, how it
 * ended (YARN's final status and diagnostics, which say who killed it or why it failed), and killing it. Killing is
 * needed when the engine does not end by itself: spark-submit's own end (a SIGTERM) leaves the application running,
 * and an application still waiting for resources has no engine yet to tell.
 */
final class ClusterApplication implements ClusterDriver {

    private static final Pattern SUBMITTED = Pattern.compile("Submitted application (application_\\d+_\\d+)");
    private static final Pattern REPORT = Pattern.compile("Application report for (application_\\d+_\\d+) \\(state: (\\w+)\\)");
    private static final Pattern FINAL_STATUS = Pattern.compile("^\\s*final status: (\\w+)");
    private static final Pattern DIAGNOSTICS = Pattern.compile("^\\s*diagnostics: (.+)$");
    /** Lines of the log searched: spark-submit's last report is near the end; its submission line within the first. */
    private static final int LINES = SessionLog.LINES_KEPT;
    /** spark-submit reads YARN's application report every second ({@code spark.yarn.report.interval}), then cleans up. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(6);

    private final Path sparkHome;
    private final SessionLog log;
    private final Map<String, String> environment;

    /** @param environment added to the YARN client's environment (the Hadoop configuration spark-submit had) */
    ClusterApplication(Path sparkHome, SessionLog log, Map<String, String> environment) {
        this.sparkHome = sparkHome;
        this.log = log;
        this.environment = Map.copyOf(environment);
    }

    /** The application id spark-submit printed once YARN accepted it; empty before. */
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
    public Duration exitWait() {
        return EXIT_WAIT;
    }

    /** How the application ended, from spark-submit's last report: e.g. "the YARN application ... ended KILLED: ...". */
    @Override
    public Optional<String> ending() {
        return ending(log.tail(LINES));
    }

    static Optional<String> ending(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher report = REPORT.matcher(lines.get(i));
            if (!report.find()) {
                continue;
            }
            String state = report.group(2);
            if (!List.of("FINISHED", "FAILED", "KILLED").contains(state)) {
                return Optional.empty();
            }
            String status = state;
            String diagnostics = null;
            for (int j = i + 1; j < lines.size() && j < i + 16; j++) {
                Matcher s = FINAL_STATUS.matcher(lines.get(j));
                Matcher d = DIAGNOSTICS.matcher(lines.get(j));
                if (s.find()) {
                    status = s.group(1);
                } else if (d.find() && !"N/A".equals(d.group(1).trim())) {
                    diagnostics = d.group(1).trim();
                }
            }
            return Optional.of("the YARN application " + report.group(1) + " ended " + status
                    + (diagnostics == null ? "" : ": " + diagnostics));
        }
        return Optional.empty();
    }

    /**
     * Asks YARN to kill the application, if spark-submit said which it is, with the distribution's own YARN client
     * (the cluster's configuration and credentials, as spark-submit used them). Waits for the answer; never throws.
     */
    @Override
    public void kill() {
        Optional<String> appId = id();
        if (appId.isEmpty()) {
            return;
        }
        log.append("[hearth] killing the YARN application " + appId.get());
        ClusterKill.run(sparkHome, environment, log, "the YARN client", appId.get(),
                "org.apache.hadoop.yarn.client.cli.ApplicationCLI", "application", "-kill", appId.get());
    }
}
