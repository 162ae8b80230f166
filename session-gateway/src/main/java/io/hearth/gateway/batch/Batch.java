package io.hearth.gateway.batch;

import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.SessionLog;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One batch: its spark-submit process, its log, and the Livy state its clients see. Thread-safe. */
public final class Batch {

    /** Application ids as local, standalone and YARN masters write them in the driver's log. */
    private static final Pattern APP_ID =
            Pattern.compile("\\b(local-\\d{10,}|app-\\d{14}-\\d{4}|application_\\d+_\\d+)\\b");

    /**
     * Where the driver's UI listens, from the driver's log in client mode: the address Jetty binds, then the port it got
     * (the first free one from {@code spark.ui.port}). A YARN application in cluster mode has its driver's log
     * elsewhere: spark-submit prints its tracking URL instead.
     */
    private static final Pattern UI_HOST = Pattern.compile("Start Jetty (\\S+):\\d+ for SparkUI");
    private static final Pattern UI_PORT = Pattern.compile("Successfully started service 'SparkUI' on port (\\d+)");
    private static final Pattern TRACKING_URL = Pattern.compile("tracking URL: (https?://\\S+)");

    /** The SparkContext's first log line: the application is past spark-submit and running. */
    private static final String SPARK_STARTED = "Running Spark version";

    /** What a client can see of a batch at one moment. */
    public record Info(int id, BatchSpec spec, BatchState state, String appId, String sparkUiUrl) {}

    private final int id;
    private final BatchSpec spec;
    private final SessionLog log;

    // Guarded by this.
    private BatchState state = BatchState.STARTING;
    private String appId;
    private String sparkUiUrl;
    /** The UI's bind address, seen in the log before its port. */
    private String uiHost;
    private EngineProcess process;
    private boolean killRequested;

    Batch(int id, BatchSpec spec, SessionLog log) {
        this.id = id;
        this.spec = spec;
        this.log = log;
    }

    public int id() {
        return id;
    }

    public String name() {
        return spec.name();
    }

    public SessionLog log() {
        return log;
    }

    public synchronized Info info() {
        readLog();
        return new Info(id, spec, state, appId, sparkUiUrl);
    }

    synchronized void launched(EngineProcess p) {
        process = p;
    }

    synchronized void launchFailed(String reason) {
        log.append("[hearth] could not submit the batch: " + reason);
        state = BatchState.DEAD;
    }

    synchronized void exited(int exitCode) {
        readLog();
        log.append("[hearth] batch process exited with code " + exitCode);
        if (!state.isFinished()) {
            state = killRequested ? BatchState.KILLED : exitCode == 0 ? BatchState.SUCCESS : BatchState.DEAD;
        }
    }

    /**
     * Kills a batch that has not ended (its whole process tree) and returns true; false if it had already ended.
     * Blocks until the processes are gone.
     */
    boolean kill() throws InterruptedException {
        EngineProcess p;
        synchronized (this) {
            if (state.isFinished() || process == null) {
                return false;
            }
            killRequested = true;
            p = process;
        }
        p.stop(Duration.ZERO);
        synchronized (this) {
            if (!state.isFinished()) {
                state = BatchState.KILLED;
            }
            log.append("[hearth] batch killed on request");
        }
        return true;
    }

    /**
     * Learns from the driver's log that the application runs, its id and its UI's address (there is no other channel
     * to a batch). A batch without a UI ({@code spark.ui.enabled=false}) has its log read at each look while it runs.
     */
    private void readLog() {
        if (state.isFinished() || (state == BatchState.RUNNING && appId != null && sparkUiUrl != null)) {
            return;
        }
        for (String line : log.tail(SessionLog.LINES_KEPT)) {
            if (state == BatchState.STARTING && line.contains(SPARK_STARTED)) {
                state = BatchState.RUNNING;
            }
            Matcher m = APP_ID.matcher(line);
            if (appId == null && m.find()) {
                appId = m.group(1);
                state = BatchState.RUNNING;
            }
            if (sparkUiUrl == null) {
                readUiUrl(line);
            }
        }
    }

    private void readUiUrl(String line) {
        Matcher host = UI_HOST.matcher(line);
        if (host.find()) {
            uiHost = host.group(1);
        }
        Matcher port = UI_PORT.matcher(line);
        if (port.find()) {
            sparkUiUrl = "http://" + reachableHost(uiHost) + ":" + port.group(1);
        }
        Matcher tracking = TRACKING_URL.matcher(line);
        if (tracking.find()) {
            sparkUiUrl = tracking.group(1);
        }
    }

    /** A UI bound to every interface is reached through the gateway host's name, where a client-mode driver runs. */
    private static String reachableHost(String bound) {
        if (bound == null || bound.equals("0.0.0.0") || bound.equals("::")) {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
        return bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound;
    }
}
