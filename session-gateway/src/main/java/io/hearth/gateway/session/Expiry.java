package io.hearth.gateway.session;

import io.hearth.gateway.config.Durations;
import io.hearth.gateway.config.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * The time limits that end a session, and the rule that applies them: its {@code ttl} is a hard cap counted from its
 * creation, busy or not; its heartbeat and idle timeouts end it only while it is idle (no statement running or
 * waiting), counted from the last client call. Pure: the caller gives the times.
 *
 * @param ttl       zero for none
 * @param heartbeat zero for none
 * @param idle      zero for none
 */
public record Expiry(Limit ttl, Limit heartbeat, Limit idle) {

    /** One limit: how long, and the reason a session ended by it gives (its log keeps it). */
    public record Limit(Duration after, String reason) {

        static final Limit NONE = new Limit(Duration.ZERO, "");

        public Limit {
            if (after.isNegative()) {
                throw new IllegalArgumentException("a time limit cannot be negative: " + after);
            }
        }

        boolean passed(long since, long now) {
            return !after.isZero() && Duration.ofMillis(now - since).compareTo(after) >= 0;
        }
    }

    /**
     * The limits a session asked for, with the server's idle timeout for a session that gave none.
     *
     * @param serverIdle {@code hearth.session.idle-timeout}; zero means never
     */
    public static Expiry of(SessionSpec spec, Duration serverIdle) {
        Limit ttl = spec.ttl() == null ? Limit.NONE
                : new Limit(Durations.parse("ttl", spec.ttl()), "its ttl of " + spec.ttl() + " has passed");
        int beat = spec.heartbeatTimeoutInSecond();
        Limit heartbeat = beat <= 0 ? Limit.NONE : new Limit(Duration.ofSeconds(beat),
                "no client call for " + beat + " s (heartbeatTimeoutInSecond)");
        Limit idle = spec.idleTimeout() != null
                ? new Limit(Durations.parse("idleTimeout", spec.idleTimeout()),
                        "idle for " + spec.idleTimeout() + " (its idleTimeout)")
                : new Limit(serverIdle, "idle for " + serverIdle.toSeconds() + " s ("
                        + Settings.IDLE_TIMEOUT.key() + ")");
        return new Expiry(ttl, heartbeat, idle);
    }

    /**
     * Why a session should end now, if it should. Times are epoch milliseconds.
     *
     * @param created      when the session was created
     * @param lastActivity its last client call or the end of its last statement, whichever is later
     * @param idle         whether no statement runs or waits
     */
    public Optional<String> reason(long created, long lastActivity, boolean idle, long now) {
        if (ttl.passed(created, now)) {
            return Optional.of(ttl.reason());
        }
        if (!idle) {
            return Optional.empty();
        }
        if (heartbeat.passed(lastActivity, now)) {
            return Optional.of(heartbeat.reason());
        }
        if (this.idle.passed(lastActivity, now)) {
            return Optional.of(this.idle.reason());
        }
        return Optional.empty();
    }
}
