package io.hearth.gateway.rest;

import io.hearth.gateway.auth.Caller;
import io.hearth.gateway.http.ApiException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many statement event streams each user has open, and the most one user may: an open stream costs the gateway
 * a socket and a little memory however idle its client, so one user must not open thousands. With authentication
 * off, every caller is the same user.
 */
final class StreamQuota {

    /** The key for callers without a user name (authentication off). */
    private static final String ANONYMOUS = "";

    private final int maxPerUser;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    StreamQuota(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /**
     * Counts one more stream for {@code caller}; the returned runnable gives it back (once).
     *
     * @throws ApiException 429 when the caller already has the most streams open
     */
    Runnable take(Caller caller, String setting) {
        String user = caller.user() == null ? ANONYMOUS : caller.user();
        boolean[] taken = new boolean[1];
        open.compute(user, (u, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerUser) {
                return count;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            throw ApiException.tooManyRequests((caller.user() == null ? "This gateway" : "User '" + caller.user() + "'")
                    + " already has " + maxPerUser + " statement event streams open, the most allowed (" + setting
                    + "): close one (or read the statement with GET .../statements/{id}?wait=30s) and try again", 1);
        }
        boolean[] given = new boolean[1];
        return () -> {
            synchronized (given) {
                if (given[0]) {
                    return;
                }
                given[0] = true;
            }
            open.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
        };
    }
}
