package io.hearth.kernel.gateway;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.hearth.kernel.livy.HearthExtension;
import io.hearth.kernel.livy.RemoteStatement;
import io.hearth.kernel.livy.StreamChunk;
import io.hearth.kernel.livy.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Follows a statement without the events endpoint, for a plain Livy server: polls {@code GET .../statements/{sid}}
 * until it has finished, then gives the events a stream would have carried. Printed text therefore arrives at the
 * end, as with any Livy client. A Hearth gateway's long-poll ({@code ?wait=}) makes each poll wait for the end; Livy
 * answers at once, so the poller pauses between polls, a little longer each time.
 */
final class StatementPoller {

    private static final Duration LONG_POLL = Duration.ofSeconds(10);
    private static final long FIRST_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1000;

    private final GatewayClient client;
    private final int sessionId;
    private final int statementId;

    StatementPoller(GatewayClient client, int sessionId, int statementId) {
        this.client = client;
        this.sessionId = sessionId;
        this.statementId = statementId;
    }

    /**
     * Polls until the statement has finished or {@code closed} turns true (then returns nothing).
     *
     * @return its printed streams and shown values as {@code output}/{@code display} events (a Hearth gateway's
     *     {@code hearth} extension; a Livy server has its text in the result), then its {@code result} event
     */
    List<SseEvent> awaitEnd(Consumer<Cancellable> opened, BooleanSupplier closed)
            throws GatewayException, InterruptedException {
        long pause = FIRST_PAUSE_MILLIS;
        while (!closed.getAsBoolean()) {
            long asked = System.nanoTime();
            String json = client.statementJson(sessionId, statementId, LONG_POLL, opened);
            RemoteStatement statement;
            try {
                statement = WireJson.parse(json, RemoteStatement.class);
            } catch (JsonParseException e) {
                throw new GatewayException(0, "The server at " + client.baseUrl() + " answered statement "
                        + statementId + " with something that is not a statement (" + e.getMessage() + ").");
            }
            if (statement.isFinished()) {
                return eventsOf(statement, json);
            }
            long answeredMillis = (System.nanoTime() - asked) / 1_000_000;
            if (answeredMillis < pause) {
                // Answered at once (no long-poll): don't ask again straight away.
                Thread.sleep(pause - answeredMillis);
                pause = Math.min(2 * pause, MAX_PAUSE_MILLIS);
            }
        }
        return List.of();
    }

    private static List<SseEvent> eventsOf(RemoteStatement statement, String json) {
        List<SseEvent> events = new ArrayList<>();
        for (StreamChunk chunk : statement.streams()) {
            JsonObject output = new JsonObject();
            output.addProperty("stream", chunk.name());
            output.addProperty("text", chunk.textOrEmpty());
            events.add(new SseEvent(0, "output", output.toString()));
        }
        for (HearthExtension.Display display : statement.displays()) {
            JsonObject shown = new JsonObject();
            shown.add("data", display.data() == null ? new JsonObject() : display.data());
            events.add(new SseEvent(0, "display", shown.toString()));
        }
        events.add(new SseEvent(0, "result", json));
        return events;
    }
}
