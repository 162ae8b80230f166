package io.hearth.gateway.session;

/**
 * How much one session may have waiting or running at once: a statement holds its code in the gateway's heap (and the
 * engine's) until it ends, so without a bound one client could fill both by posting without waiting.
 *
 * @param maxWaiting     statements waiting or running at most ({@code hearth.statement.max-waiting})
 * @param maxWaitingCode characters of code they may hold together ({@code hearth.statement.max-waiting-code}); one statement
 *                       alone is always taken, whatever its size (the request size limit bounds it)
 */
public record StatementLimits(int maxWaiting, long maxWaitingCode) {

    /** What a refused client is told to wait: statements usually end within seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    public StatementLimits {
        if (maxWaiting < 1 || maxWaitingCode < 1) {
            throw new IllegalArgumentException("statement limits must be positive: " + maxWaiting + ", "
                    + maxWaitingCode);
        }
    }
}
