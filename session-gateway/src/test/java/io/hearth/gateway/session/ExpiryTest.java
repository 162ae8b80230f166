package io.hearth.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a session ends by itself: the ttl (busy or not), the heartbeat and the idle timeout (idle only). */
class ExpiryTest {

    private static final long CREATED = 1_000_000;

    private static SessionSpec spec(int heartbeat, String ttl, String idleTimeout) {
        return new SessionSpec(Kind.PYSPARK, null, null, null, null, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), Map.of(), heartbeat, ttl, idleTimeout, null);
    }

    private static long at(Duration afterCreation) {
        return CREATED + afterCreation.toMillis();
    }

    @Test
    void theTtlEndsASessionBusyOrNotCountedFromItsCreationNotFromItsLastCall() {
        Expiry e = Expiry.of(spec(0, "40s", null), Duration.ZERO);
        long justUsed = at(Duration.ofSeconds(39));
        assertEquals(Optional.empty(), e.reason(CREATED, justUsed, false, at(Duration.ofMillis(39_999))));
        assertEquals(Optional.of("its ttl of 40s has passed"),
                e.reason(CREATED, justUsed, false, at(Duration.ofSeconds(40))));
        assertEquals(Optional.of("its ttl of 40s has passed"),
                e.reason(CREATED, justUsed, true, at(Duration.ofSeconds(40))));
    }

    @Test
    void heartbeatAndIdleTimeoutEndOnlyAnIdleSessionCountedFromItsLastActivity() {
        Expiry heartbeat = Expiry.of(spec(5, null, null), Duration.ZERO);
        long lastCall = at(Duration.ofMinutes(10));
        long later = lastCall + 5_000;
        assertEquals(Optional.empty(), heartbeat.reason(CREATED, lastCall, false, later + 3_600_000),
                "a busy session outlives its heartbeat");
        assertEquals(Optional.empty(), heartbeat.reason(CREATED, lastCall, true, later - 1));
        assertEquals(Optional.of("no client call for 5 s (heartbeatTimeoutInSecond)"),
                heartbeat.reason(CREATED, lastCall, true, later));

        Expiry idle = Expiry.of(spec(0, null, "6s"), Duration.ofHours(1));
        assertEquals(Optional.empty(), idle.reason(CREATED, lastCall, true, lastCall + 5_999));
        assertEquals(Optional.of("idle for 6s (its idleTimeout)"), idle.reason(CREATED, lastCall, true, lastCall + 6_000),
                "the session's own idleTimeout wins over the server's");
        assertEquals(Optional.empty(), idle.reason(CREATED, lastCall, false, lastCall + 60_000));
    }

    @Test
    void aSessionWithoutItsOwnIdleTimeoutHasTheServersAndZeroMeansNever() {
        Expiry server = Expiry.of(spec(0, null, null), Duration.ofMinutes(2));
        assertEquals(Optional.of("idle for 120 s (hearth.session.idle-timeout)"),
                server.reason(CREATED, CREATED, true, at(Duration.ofMinutes(2))));
        Expiry never = Expiry.of(spec(0, null, null), Duration.ZERO);
        assertEquals(Optional.empty(), never.reason(CREATED, CREATED, true, at(Duration.ofDays(365))));
        Expiry zeroTtl = Expiry.of(spec(0, "0", "0"), Duration.ofMinutes(2));
        assertEquals(Optional.empty(), zeroTtl.reason(CREATED, CREATED, true, at(Duration.ofDays(365))),
                "a ttl or idleTimeout of 0 is no limit");
    }

    @Test
    void aLimitTooLongToCountInMillisecondsNeverPassesInsteadOfFailing() {
        Expiry e = Expiry.of(spec(0, "100000000000000d", null), Duration.ZERO);
        assertEquals(Optional.empty(), e.reason(CREATED, CREATED, true, Long.MAX_VALUE / 2));
        assertThrows(IllegalArgumentException.class, () -> new Expiry.Limit(Duration.ofSeconds(-1), "negative"));
    }
}
