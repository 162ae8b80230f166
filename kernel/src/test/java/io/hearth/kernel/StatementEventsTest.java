package io.hearth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A dropped event stream is resumed with Last-Event-ID, and nothing is shown twice. */
class StatementEventsTest {

    @Test
    void aDroppedStreamResumesAfterTheLastEventSeen() throws Exception {
        // A fake gateway: a connection dropped in the middle of a statement's stream cannot be caused on demand with
        // the real one. It answers the first request with one event and then ends the stream, the second (which
        // must carry Last-Event-ID: 1) with the rest.
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sessions/3/statements/7/events", exchange -> {
            String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            lastEventIds.add(String.valueOf(last));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            if (last == null) {
                out.write("id: 1\nevent: output\ndata: {\"stream\":\"stdout\",\"text\":\"a\"}\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                // End the stream before the result, as a proxy or a restarting gateway cutting it would.
                exchange.close();
                return;
            }
            out.write(("id: 2\nevent: output\ndata: {\"stream\":\"stdout\",\"text\":\"b\"}\n\n"
                    + "id: 3\nevent: result\ndata: {\"id\":7,\"state\":\"available\"}\n\n").getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        server.start();
        try (GatewayClient client = new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort());
             StatementEvents events = new StatementEvents(client, 3, 7)) {
            List<String> seen = new ArrayList<>();
            while (true) {
                StatementEvents.Item item = events.next(10_000);
                SseEvent event = assertInstanceOf(StatementEvents.Event.class, item).event();
                seen.add(event.id() + " " + event.type());
                if (event.type().equals("result")) {
                    break;
                }
            }
            assertEquals(List.of("1 output", "2 output", "3 result"), seen);
            assertEquals(List.of("null", "1"), lastEventIds);
        } finally {
            server.stop(0);
        }
    }
}
