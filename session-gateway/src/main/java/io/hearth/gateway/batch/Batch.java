package io.hearth.gateway.batch;

import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.SessionLog;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One batch: its spark-submit process, its log, and the Livy state its clients see. Thread-safe. */
public final class Batch {

    /** Application ids as local, standalone and YARN masters write them in the driver's log. */
    private static final Pattern APP_ID =
            Pattern.compile("\\b(local-\\d{10,}|app-\\d{14}-\\d{4}|application_\\d+_\\d+)\\b");

    /** The SparkContext's first log line: the application is past spark-submit and running. */
    private static final String SPARK_STARTED = "Running Spark version";

    /** What a client can see of a batch at one moment. */
    public record Info(int id, BatchSpec spec, BatchState state, String appId) {}

    private final int id;
    private final BatchSpec spec;
    private final SessionLog log;

    // Guarded by this.
    private BatchState state = BatchState.STARTING;
    private String appId;
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
        return new Info(id, spec, state, appId);
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

    /** Learns from the driver's log that the application runs, and its id (there is no other channel to a batch). */
    private void readLog() {
        if (state.isFinished() || (state == BatchState.RUNNING && appId != null)) {
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
        }
    }
}
