package io.hearth.kernel.execution;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearth.kernel.cell.CellExecutor;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.cell.KernelErrors;
import io.hearth.kernel.display.ProgressDisplay;
import io.hearth.kernel.display.ResultBundles;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.gateway.GatewayClient;
import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.gateway.GatewayOutage;
import io.hearth.kernel.gateway.PostedStatement;
import io.hearth.kernel.gateway.SseEvent;
import io.hearth.kernel.gateway.StatementEvents;
import io.hearth.kernel.livy.RemoteStatement;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.livy.WireJson;

/**
 * Runs one cell as a statement of the gateway session, following the statement's event stream: printed text and
 * shown values go to the cell as they happen, Spark jobs as a live progress display, and an interrupt cancels the
 * statement.
 */
public final class CellRunner implements CellExecutor {

    // How long the cell's thread waits for an event before looking at the progress throttle again (an interrupt
    // wakes it at once).
    private static final long WAKE_MILLIS = 50;
    // A session can die under a running statement (engine crash); look at it now and then.
    private static final long SESSION_CHECK_NANOS = 2_000_000_000L;

    private final ActiveGateway gateway;
    private final SessionKeeper sessions;
    private final Interrupts interrupts;
    private final StatementKind kind;

    /** A runner that submits statements of {@code kind} to the session {@code sessions} keeps on {@code gateway}. */
    public CellRunner(ActiveGateway gateway, SessionKeeper sessions, Interrupts interrupts, StatementKind kind) {
        this.gateway = gateway;
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
            GatewayClient client = gateway.client();
            PostedStatement submitted = submit(client, sessionId, code);
            RemoteStatement finished = follow(client, sessionId, submitted, sink);
            return ResultBundles.showable(StatementOutcome.resultOf(finished));
        } finally {
            interrupts.endCell();
        }
    }

    private PostedStatement submit(GatewayClient client, int sessionId, String code) throws CellFailure {
        try {
            return client.postStatement(sessionId, code, kind);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                sessions.forget(sessionId);
                throw KernelErrors.sessionUnknown(sessionId);
            }
            if (e.status() / 100 == 4) {
                // The session was not asked about before this cell (it was ready at the last one): a dead one
                // refuses the statement, and is reported as dead (why, log tail) rather than as a refusal.
                sessions.checkAlive(sessionId);
            }
            throw KernelErrors.gateway(e);
        }
    }

    /** Follows the statement's events until its result, forwarding interrupts as cancels. */
    private RemoteStatement follow(GatewayClient client, int sessionId, PostedStatement posted, CellSink sink)
            throws CellFailure {
        int statementId = posted.id();
        ProgressDisplay progress = new ProgressDisplay(sink);
        int cancelsSent = 0;
        long nextSessionCheck = System.nanoTime() + SESSION_CHECK_NANOS;
        GatewayOutage outage = GatewayOutage.withDefaultGrace();
        try (StatementEvents events = new StatementEvents(client, sessionId, posted, outage)) {
            interrupts.wakeWith(events::wake);
            while (true) {
                StatementEvents.Item item = events.next(WAKE_MILLIS);
                if (item instanceof StatementEvents.Failure failure) {
                    throw streamFailed(sessionId, statementId, failure.error());
                }
                if (item instanceof StatementEvents.Event event) {
                    RemoteStatement result = handle(event.event(), sink, progress);
                    if (result != null) {
                        progress.finish();
                        if (result.output() != null && result.output().isError()) {
                            // An engine that died fails its statement; say so (with its log) rather than pass
                            // the gateway's error on as if the user's code had raised it.
                            sessions.checkAlive(sessionId);
                        }
                        return result;
                    }
                }
                progress.flush(false);
                // Each interrupt sends one cancel: a second interrupt retries when the first did not stop the code.
                int requested = interrupts.requested();
                if (requested > cancelsSent) {
                    cancelsSent = requested;
                    cancel(client, sessionId, statementId, sink);
                }
                if (System.nanoTime() - nextSessionCheck > 0) {
                    sessions.checkAlive(sessionId, outage);
                    nextSessionCheck = System.nanoTime() + SESSION_CHECK_NANOS;
                }
            }
        } catch (InterruptedException e) {
            // Nothing interrupts the shell thread today; if something does, stop waiting and say so.
            Thread.currentThread().interrupt();
            throw KernelErrors.cancelled();
        }
    }

    /** Shows one event; returns the statement when the event is its {@code result}, else null. */
    private static RemoteStatement handle(SseEvent event, CellSink sink, ProgressDisplay progress) throws CellFailure {
        try {
            switch (event.type()) {
                case "output" -> {
                    JsonObject data = JsonParser.parseString(event.data()).getAsJsonObject();
                    String text = data.has("text") ? data.get("text").getAsString() : "";
                    if (!text.isEmpty()) {
                        sink.stream(data.has("stream") ? data.get("stream").getAsString() : "stdout", text);
                    }
                }
                case "display" -> {
                    JsonObject data = JsonParser.parseString(event.data()).getAsJsonObject();
                    if (data.has("data") && data.get("data").isJsonObject() && data.getAsJsonObject("data").size() > 0) {
                        sink.display(ResultBundles.showable(data.getAsJsonObject("data")));
                    }
                }
                case "progress" -> progress.progress(JsonParser.parseString(event.data()).getAsJsonObject());
                case "warning" -> {
                    // The cluster holds the statement up: a line in the cell, and the progress display says so.
                    JsonObject data = JsonParser.parseString(event.data()).getAsJsonObject();
                    String message = data.has("message") ? data.get("message").getAsString() : "";
                    sink.notice("Warning: " + message + "\n");
                    progress.warning(data.has("reason") ? data.get("reason").getAsString() : "");
                }
                case "result" -> {
                    return WireJson.parse(event.data(), RemoteStatement.class);
                }
                default -> { } // "state" and anything newer: the result says all the cell needs.
            }
            return null;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw KernelErrors.unexpected("The gateway sent a '" + event.type() + "' event the kernel cannot read ("
                    + e.getMessage() + ").");
        }
    }

    private CellFailure streamFailed(int sessionId, int statementId, GatewayException e) throws CellFailure {
        if (e.isNotFound()) {
            // Either the session is gone (checkAlive says so) or only the statement is.
            sessions.checkAlive(sessionId);
            return KernelErrors.unexpected("Statement " + statementId + " vanished from session " + sessionId + ".");
        }
        return KernelErrors.gateway(e);
    }

    private static void cancel(GatewayClient client, int sessionId, int statementId, CellSink sink) {
        try {
            client.cancelStatement(sessionId, statementId);
        } catch (GatewayException e) {
            sink.notice("Could not cancel statement " + statementId + ": " + e.getMessage() + "\n");
        }
    }
}
