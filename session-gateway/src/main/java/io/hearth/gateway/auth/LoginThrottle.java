package io.hearth.gateway.auth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Back-off against password guessing, per user name and per client address: after a few wrong passwords every further
 * one blocks the user (or the address) for twice as long as the last, up to a cap; while blocked, no password is even
 * checked. A right password clears its user's count, not its address's (one account must not unlock guessing at
 * others). Memory is bounded: each map keeps its most recently seen entries only, and forgets quiet ones.
 */
final class LoginThrottle {

    /** Wrong passwords for one user name before it is blocked. */
    static final int USER_FREE_FAILURES = 5;
    /** Wrong passwords from one address (over any user names) before it is blocked: an office may share one. */
    static final int ADDRESS_FREE_FAILURES = 20;
    static final Duration FIRST_BLOCK = Duration.ofSeconds(1);
    static final Duration LONGEST_BLOCK = Duration.ofMinutes(5);
    /** A count with no failure for this long starts again from zero. */
    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    /** Entries per map: random user names or addresses evict the least recently seen, never grow memory. */
    static final int MAX_ENTRIES = 10_000;

    /** How long a caller must wait: zero when it may try now. */
    record Wait(Duration remaining, boolean byUser) {
        static final Wait NONE = new Wait(Duration.ZERO, false);

        boolean blocked() {
            return !remaining.isZero();
        }

        /** For {@code Retry-After}: whole seconds, rounded up. */
        int seconds() {
            return (int) Math.max(1, (remaining.toMillis() + 999) / 1000);
        }
    }

    /** A user's or an address's recent failures. */
    private static final class Failures {
        int count;
        long lastFailureNanos;
        long blockedUntilNanos;
    }

    private final LongSupplier nanoTime;
    private final Map<String, Failures> byUser = lru();
    private final Map<String, Failures> byAddress = lru();

    LoginThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** How long this user, from this address, must wait before a password is checked. */
    synchronized Wait waitFor(String user, String address) {
        long now = nanoTime.getAsLong();
        long userLeft = remaining(byUser.get(user), now);
        long addressLeft = remaining(byAddress.get(address), now);
        if (userLeft <= 0 && addressLeft <= 0) {
            return Wait.NONE;
        }
        return new Wait(Duration.ofNanos(Math.max(userLeft, addressLeft)), userLeft >= addressLeft);
    }

    /**
     * Counts a wrong password.
     *
     * @return true when this failure starts a block for the user or the address (worth a log line)
     */
    synchronized boolean failed(String user, String address) {
        long now = nanoTime.getAsLong();
        boolean userBlocked = count(byUser, user, USER_FREE_FAILURES, now);
        boolean addressBlocked = count(byAddress, address, ADDRESS_FREE_FAILURES, now);
        return userBlocked || addressBlocked;
    }

    /** A right password: its user starts again from zero. */
    synchronized void succeeded(String user) {
        byUser.remove(user);
    }

    private static boolean count(Map<String, Failures> map, String key, int free, long now) {
        Failures f = map.get(key);
        if (f == null || now - f.lastFailureNanos > FORGET_AFTER.toNanos()) {
            f = new Failures();
            map.put(key, f);
        }
        f.count++;
        f.lastFailureNanos = now;
        if (f.count < free) {
            return false;
        }
        int doublings = Math.min(f.count - free, 30);
        long block = Math.min(FIRST_BLOCK.toNanos() << doublings, LONGEST_BLOCK.toNanos());
        f.blockedUntilNanos = now + block;
        return true;
    }

    private static long remaining(Failures f, long now) {
        return f == null ? 0 : f.blockedUntilNanos - now;
    }

    private static Map<String, Failures> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
