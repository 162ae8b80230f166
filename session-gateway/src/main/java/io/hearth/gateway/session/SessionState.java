package io.hearth.gateway.session;

import java.util.Locale;

/** Livy's session states, the subset a Hearth session passes through. */
public enum SessionState {
    STARTING, IDLE, BUSY, SHUTTING_DOWN, DEAD,
    /** After a gateway restart, until the session's engine has reconnected (or the reconnect grace has passed). */
    RECOVERING,
    /** Stopped by the gateway itself (idle timeout, heartbeat, ttl): the log says why. */
    KILLED;

    /** The name Livy clients see ({@code shutting_down}, {@code idle}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
