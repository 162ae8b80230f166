package io.hearth.gateway.session;

import java.time.Duration;

/**
 * The operator's rules for sessions: how many may live and start at once ({@code hearth.session.max},
 * {@code hearth.session.max-starting}), how long an idle one lives ({@code hearth.session.idle-timeout}; zero = no
 * limit unless the session asks for one), and whether its conf may choose the master
 * ({@code hearth.session.allow-master-override}), how much disk a session's log may take
 * ({@code hearth.session.log-max-size}), and how much heap finished statements read back from the store may keep
 * ({@code hearth.statement.output-cache-size}), and how much each may have waiting or running ({@link StatementLimits}).
 */
public record SessionPolicy(int maxSessions, int maxStarting, Duration idleTimeout, boolean allowMasterOverride,
                            long logMaxBytes, long outputCacheBytes, StatementLimits statementLimits) {

    public SessionPolicy {
        if (maxSessions < 1 || maxStarting < 1 || idleTimeout.isNegative() || logMaxBytes < 2 || outputCacheBytes < 0
                || statementLimits == null) {
            throw new IllegalArgumentException("session limits must be positive: " + maxSessions + ", " + maxStarting
                    + ", " + idleTimeout + ", " + logMaxBytes + ", " + outputCacheBytes);
        }
    }
}
