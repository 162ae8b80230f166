package io.hearth.gateway.session;

/** What sessions count for the gateway's metrics: statements as they pass, and engine starts. */
public interface SessionMetrics {

    void statementSubmitted();

    /** The engine began running a statement. */
    void statementStarted();

    /**
     * @param status    the output's status ({@code ok}, {@code error}), null when there is no output (cancelled)
     * @param ranMillis from start to end, negative when it never started
     */
    void statementFinished(StatementState state, String status, long ranMillis);

    void engineLaunched();

    /** An engine became ready this long after its session was created. */
    void engineReady(long millis);

    /** A pooled engine became ready this long after it was launched (the pool's refill time). */
    void pooledEngineReady(long millis);

    /** A session request was served by a pooled engine ({@code warm}) or, with a pool on, started cold. */
    void poolHandOver(boolean warm);
}
