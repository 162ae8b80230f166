package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A running cell rides out a gateway out of reach for the grace, counted from the first failure since the gateway
 * last answered; refusals and certificate problems end it at once. (A real cut link is test_notebook_on_another_host.)
 */
class GatewayOutageTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final GatewayOutage outage = new GatewayOutage(Duration.ofSeconds(120), now::get);
    private final GatewayException unreachable = new GatewayUnreachableException("no route to host");

    @Test
    void aLostConnectionIsRiddenOutUntilTheGraceHasPassedSinceTheFirstFailure() {
        assertTrue(outage.rideOut(unreachable));
        now.addAndGet(Duration.ofSeconds(119).toNanos());
        assertTrue(outage.rideOut(new GatewayException(0, "the event stream broke")));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(outage.rideOut(unreachable));
    }

    @Test
    void anAnswerStartsTheCountAfresh() {
        assertTrue(outage.rideOut(unreachable));
        now.addAndGet(Duration.ofSeconds(100).toNanos());
        outage.reachable();
        now.addAndGet(Duration.ofSeconds(100).toNanos());
        assertTrue(outage.rideOut(unreachable));
        now.addAndGet(Duration.ofSeconds(100).toNanos());
        assertTrue(outage.rideOut(unreachable));
    }

    @Test
    void refusalsAndCertificateProblemsAreNotRiddenOut() {
        assertFalse(outage.rideOut(new GatewayException(503, "the gateway is shutting down")));
        assertFalse(outage.rideOut(new GatewayTlsException(GatewayTlsException.Problem.EXPIRED, "expired",
                List.of())));
    }

    @Test
    void withNoGraceEveryFailureCounts() {
        assertFalse(new GatewayOutage(Duration.ZERO, now::get).rideOut(unreachable));
    }
}
