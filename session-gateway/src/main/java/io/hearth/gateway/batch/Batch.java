package io.hearth.gateway.batch;

import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.SessionLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One batch: its spark-submit process, its log, and the Livy state its clients see, stored at each change so that a
 * restarted gateway finds it again. Thread-safe.
 */
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
    private final Path logFile;
    /** Where the launch wrapper writes spark-submit's exit code: the only record of it once the gateway restarted. */
    private final Path exitFile;
    private final BatchStore store;

    // Guarded by this.
    private BatchState state = BatchState.STARTING;
    private String appId;
    private String sparkUiUrl;
    /** The UI's bind address, seen in the log before its port. */
    private String uiHost;
    private EngineProcess process;
    private long driverPid;
    private long driverStarted;
    private String endReason;
    private boolean killRequested;

    Batch(int id, BatchSpec spec, Path logFile, Path exitFile, BatchStore store) {
        this.id = id;
        this.spec = spec;
        this.logFile = logFile;
        this.log = new SessionLog(logFile, SessionLog.LINES_KEPT);
        this.exitFile = exitFile;
        this.store = store;
    }

    /** A batch of an earlier gateway, as it was stored. */
    static Batch restore(BatchStore.BatchRow row, Path exitFile, BatchStore store) {
        Batch b = new Batch(row.id(), row.spec(), Path.of(row.logFile()), exitFile, store);
        b.state = row.state();
        b.appId = row.appId();
        b.sparkUiUrl = row.sparkUiUrl();
        b.driverPid = row.driverPid();
        b.driverStarted = row.driverStarted();
        b.endReason = row.endReason();
        return b;
    }

    public int id() {
        return id;
    }

    public String name() {
        return spec.name();
    }

    /** Who submitted it; null with authentication off. */
    public String owner() {
        return spec.owner();
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
        driverPid = p.pid();
        driverStarted = p.startedAt();
        save();
    }

    /** After a restart: the driver of an earlier gateway, still running, found again by its pid and start time. */
    synchronized void adopted(EngineProcess p) {
        process = p;
        log.append("[hearth] the gateway restarted; batch process " + p.pid() + " still runs and is followed again");
    }

    synchronized void launchFailed(String reason) {
        log.append("[hearth] could not submit the batch: " + reason);
        state = BatchState.DEAD;
        save();
    }

    /**
     * The batch process ended. An adopted one's exit code is unknown to this gateway (only a parent learns it, and
     * {@code exitCode} is negative): the launch wrapper's exit file tells it; without that file the batch is dead,
     * saying why.
     */
    synchronized void exited(int exitCode) {
        readLog();
        OptionalInt recorded = recordedExit();
        if (recorded.isEmpty() && exitCode >= 0) {
            recorded = OptionalInt.of(exitCode);
        }
        if (recorded.isPresent()) {
            log.append("[hearth] batch process exited with code " + recorded.getAsInt());
        }
        if (!state.isFinished()) {
            if (killRequested) {
                state = BatchState.KILLED;
            } else if (recorded.isPresent()) {
                state = recorded.getAsInt() == 0 ? BatchState.SUCCESS : BatchState.DEAD;
            } else {
                state = BatchState.DEAD;
                endReason = "its exit code is unknown: the batch process was started before the gateway restarted"
                        + " and left no exit file";
                log.append("[hearth] batch process exited; " + endReason);
            }
        }
        save();
    }

    /**
     * After a restart, when the driver process is gone: it ended while no gateway watched, and its exit file says how;
     * without one the batch is lost, and says so.
     */
    synchronized void goneAtRestart() {
        OptionalInt recorded = recordedExit();
        if (recorded.isPresent()) {
            state = recorded.getAsInt() == 0 ? BatchState.SUCCESS : BatchState.DEAD;
            log.append("[hearth] batch process exited with code " + recorded.getAsInt() + " while the gateway was down");
        } else {
            state = BatchState.DEAD;
            endReason = "lost: its driver process (pid " + driverPid + ") was gone when the gateway restarted and left"
                    + " no exit code";
            log.append("[hearth] " + endReason);
        }
        save();
    }

    private OptionalInt recordedExit() {
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(exitFile, StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            log.append("[hearth] cannot read the batch's exit code from " + exitFile + ": " + e.getMessage());
            return OptionalInt.empty();
        }
    }

    synchronized boolean isFinished() {
        return state.isFinished();
    }

    private void save() {
        store.saveBatch(new BatchStore.BatchRow(id, spec, state, appId, sparkUiUrl, driverPid, driverStarted,
                logFile.toString(), endReason));
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
            save();
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
        BatchState before = state;
        String appIdBefore = appId;
        String uiBefore = sparkUiUrl;
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
        if (state != before || !java.util.Objects.equals(appId, appIdBefore)
                || !java.util.Objects.equals(sparkUiUrl, uiBefore)) {
            save();
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
