package io.hearth.kernel;

import com.google.gson.JsonObject;
import java.util.List;

/** Runs one cell as a statement of the gateway session, streaming its printed text while it runs. */
public final class CellRunner implements CellExecutor {

    // Polls start fast so that `1+1` answers in milliseconds, and back off so long statements cost little.
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 50;
    // A session can die under a running statement (engine crash); look at it now and then.
    private static final long SESSION_CHECK_NANOS = 2_000_000_000L;

    private final GatewayClient client;
    private final SessionKeeper sessions;
    private final Interrupts interrupts;
    private final String kind;

    /** A runner that submits statements of {@code kind} to the session {@code sessions} keeps. */
    public CellRunner(GatewayClient client, SessionKeeper sessions, Interrupts interrupts, String kind) {
        this.client = client;
        this.sessions = sessions;
        this.interrupts = interrupts;
        this.kind = kind;
    }

    /**
     * Runs {@code code}, sending printed text to {@code sink} as it arrives.
     *
     * @return the MIME bundle of the cell's result, empty when there is nothing to show
     * @throws CellFailure when the code raised, was cancelled, or the gateway/session failed
     */
    public JsonObject run(String code, CellSink sink) throws CellFailure {
        if (code.isBlank()) {
            // Like IPython: an empty cell runs nothing (and must not start a Spark session).
            return new JsonObject();
        }
        interrupts.beginCell();
        try {
            int sessionId = sessions.ready(sink);
            Statement submitted = submit(sessionId, code);
            return StatementOutcome.resultOf(follow(sessionId, submitted, sink));
        } finally {
            interrupts.endCell();
        }
    }

    private Statement submit(int sessionId, String code) throws CellFailure {
        try {
            return client.submitStatement(sessionId, code, kind);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                sessions.forget(sessionId);
                throw KernelErrors.sessionUnknown(sessionId);
            }
            throw KernelErrors.gateway(e);
        }
    }

    /** Polls the statement until it finishes, emitting new stream text and forwarding interrupts as cancels. */
    private Statement follow(int sessionId, Statement submitted, CellSink sink) throws CellFailure {
        StreamCursor cursor = new StreamCursor();
        PollBackoff backoff = new PollBackoff(FIRST_POLL_MILLIS, MAX_POLL_MILLIS);
        int cancelsSent = 0;
        int displaysSent = 0; // displays only grow, in order: the ones past this index are new
        long nextSessionCheck = System.nanoTime() + SESSION_CHECK_NANOS;
        Statement statement = submitted;
        try {
            while (true) {
                for (StreamChunk chunk : cursor.advance(statement.streams())) {
                    sink.stream(chunk.name(), chunk.text());
                }
                List<HearthExtension.Display> displays = statement.displays();
                for (; displaysSent < displays.size(); displaysSent++) {
                    JsonObject data = displays.get(displaysSent).data();
                    if (data != null && data.size() > 0) {
                        sink.display(data);
                    }
                }
                if (statement.isFinished()) {
                    return statement;
                }
                // Each interrupt sends one cancel: a second interrupt retries when the first did not stop the code.
                int requested = interrupts.requested();
                if (requested > cancelsSent) {
                    cancelsSent = requested;
                    cancel(sessionId, statement.id(), sink);
                }
                if (System.nanoTime() - nextSessionCheck > 0) {
                    sessions.checkAlive(sessionId);
                    nextSessionCheck = System.nanoTime() + SESSION_CHECK_NANOS;
                }
                interrupts.pause(backoff.nextMillis());
                statement = poll(sessionId, statement.id());
            }
        } catch (InterruptedException e) {
            // Nothing interrupts the shell thread today; if something does, stop waiting and say so.
            Thread.currentThread().interrupt();
            throw KernelErrors.cancelled();
        }
    }

    private Statement poll(int sessionId, int statementId) throws CellFailure {
        try {
            return client.statement(sessionId, statementId);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                // Either the session is gone (checkAlive says so) or only the statement is.
                sessions.checkAlive(sessionId);
                throw KernelErrors.unexpected("Statement " + statementId + " vanished from session " + sessionId + ".");
            }
            throw KernelErrors.gateway(e);
        }
    }

    private void cancel(int sessionId, int statementId, CellSink sink) {
        try {
            client.cancelStatement(sessionId, statementId);
        } catch (GatewayException e) {
            sink.notice("Could not cancel statement " + statementId + ": " + e.getMessage() + "\n");
        }
    }
}
