package io.hearth.kernel.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long a running cell rides out a gateway it cannot reach (a network cut, a gateway restart): a request that got no
 * HTTP answer (no connection, a broken or silent one) is retried until the gateway has been out of reach for the
 * grace, counted from the first failure since it was last reached. Refusals (an HTTP status) and certificate problems
 * are never ridden out.
 * Thread-safe: a cell's event reader and its session checks share one.
 */
public final class GatewayOutage {

    /** As long as an engine and the gateway wait for each other by default (the gateway's reconnect grace). */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(120);

    private final long graceNanos;
    private final LongSupplier nanoClock;
    private long since;
    private boolean out;

    public GatewayOutage(Duration grace, LongSupplier nanoClock) {
        this.graceNanos = grace.toNanos();
        this.nanoClock = nanoClock;
    }

    /** An outage of {@link #DEFAULT_GRACE} on the system's clock. */
    public static GatewayOutage withDefaultGrace() {
        return new GatewayOutage(DEFAULT_GRACE, System::nanoTime);
    }

    /** Whether to retry after {@code failure}: true while it is a lost connection and the outage is within grace. */
    public synchronized boolean rideOut(GatewayException failure) {
        if (failure.status() != 0 || failure instanceof GatewayTlsException) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (!out) {
            out = true;
            since = now;
        }
        return now - since < graceNanos;
    }

    /** The gateway answered: a later failure starts a new outage. */
    public synchronized void reachable() {
        out = false;
    }
}
