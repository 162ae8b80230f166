package io.hearth.gateway.session;

import java.time.Duration;

/**
 * The operator's rules for sessions: how many may live and start at once ({@code hearth.session.max},
 * {@code hearth.session.max-starting}), how long an idle one lives ({@code hearth.session.idle-timeout}; zero = no
 * limit unless the session asks for one), and whether its conf may choose the master
 * ({@code hearth.session.allow-master-override}).
 */
public record SessionPolicy(int maxSessions, int maxStarting, Duration idleTimeout, boolean allowMasterOverride) {

    public SessionPolicy {
        if (maxSessions < 1 || maxStarting < 1 || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("session limits must be positive: " + maxSessions + ", " + maxStarting
                    + ", " + idleTimeout);
        }
    }
}
