package io.hearth.kernel.livy;

import java.util.List;
import java.util.Set;

/**
 * A gateway session as the kernel sees it: Livy's session JSON, from {@code GET /sessions/{id}} or one entry of
 * {@code GET /sessions} (only the fields the kernel reads).
 *
 * @param owner the user the gateway says owns it (null without authentication)
 * @param log   the last log lines the gateway put into the answer, if any
 * @param start how its engine started (Hearth's field; null from a gateway without it)
 */
public record RemoteSession(int id, String name, String owner, String state, String kind, String appId,
                            AppInfo appInfo, List<String> log, Start start) {

    /** Livy's {@code appInfo}: links to the Spark application, either may be null. */
    public record AppInfo(String driverLogUrl, String sparkUiUrl) {}

    /**
     * Hearth's {@code start}: {@code mode} "warm" (an engine of the gateway's pool) or "cold" (started for it), and
     * {@code millis} from the request to idle (null while it starts).
     */
    public record Start(String mode, Long millis) {}

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

    /** The Spark UI link, or null. */
    public String sparkUiUrl() {
        return appInfo == null ? null : appInfo.sparkUiUrl();
    }

    /** The driver log link, or null. */
    public String driverLogUrl() {
        return appInfo == null ? null : appInfo.driverLogUrl();
    }
}
