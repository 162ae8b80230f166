package io.hearth.kernel;

/** Poll delays that start short and double up to a cap: quick statements answer fast, long ones cost little. */
public final class PollBackoff {

    private final long maxMillis;
    private long nextMillis;

    /** Delays starting at {@code firstMillis}, doubling, never above {@code maxMillis}. */
    public PollBackoff(long firstMillis, long maxMillis) {
        if (firstMillis <= 0 || maxMillis < firstMillis) {
            throw new IllegalArgumentException("need 0 < first <= max, got " + firstMillis + ", " + maxMillis);
        }
        this.nextMillis = firstMillis;
        this.maxMillis = maxMillis;
    }

    /** The delay before the next poll. */
    public long nextMillis() {
        long current = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return current;
    }
}
