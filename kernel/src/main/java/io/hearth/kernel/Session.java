package io.hearth.kernel;

import java.util.List;
import java.util.Set;

/** A gateway session as Livy's {@code GET /sessions/{id}} describes it (only the fields the kernel reads). */
public record Session(int id, String name, String state, String kind, String appId, AppInfo appInfo, List<String> log) {

    /** Livy's {@code appInfo}: links to the Spark application, either may be null. */
    public record AppInfo(String driverLogUrl, String sparkUiUrl) {}

    // Livy's SessionState names, grouped by what the kernel does about them.
    private static final Set<String> READY = Set.of("idle", "busy", "running");
    private static final Set<String> GONE = Set.of("shutting_down", "error", "dead", "killed", "success");

    /** True when statements can be submitted (a busy session queues them). */
    public boolean isReady() {
        return READY.contains(state);
    }

    /** True when the session will never run another statement. */
    public boolean isGone() {
        return GONE.contains(state);
    }

    /** The last log lines the gateway put into the session, never null. */
    public List<String> logOrEmpty() {
        return log == null ? List.of() : log;
    }
}
