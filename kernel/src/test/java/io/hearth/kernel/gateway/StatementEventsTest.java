package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hearth.kernel.livy.StatementKind;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A dropped event stream is resumed with Last-Event-ID, and nothing is shown twice; the stream a statement's POST
 * answers with is read first, and a POST answered with JSON (a plain Livy) is followed on the events endpoint.
 */
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

    @Test
    void thePostsOwnStreamIsReadFirstAndResumedOnTheEventsEndpointWhenItDrops() throws Exception {
        // A fake gateway: the real one cannot be made to drop a POST's stream halfway. The POST answers with the
        // stream's first event and ends it; the events endpoint, asked with Last-Event-ID: 1, has the rest.
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sessions/3/statements", exchange -> {
            String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " accept="
                    + exchange.getRequestHeaders().getFirst("Accept") + " last=" + last);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            if (exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().add("Location", "/sessions/3/statements/8");
                exchange.sendResponseHeaders(201, 0);
                exchange.getResponseBody().write(event(1, "output", "{\"stream\":\"stdout\",\"text\":\"a\"}"));
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(event(2, "result", "{\"id\":8,\"state\":\"available\"}"));
            exchange.close();
        });
        server.start();
        try (GatewayClient client = new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort())) {
            PostedStatement posted = client.postStatement(3, "print('a')", StatementKind.PYSPARK);
            assertEquals(8, posted.id());
            assertTrue(posted.streaming());
            assertEquals(List.of("1 output", "2 result"), readToResult(new StatementEvents(client, 3, posted, GatewayOutage.withDefaultGrace())));
            assertEquals(List.of("POST /sessions/3/statements accept=text/event-stream, application/json;q=0.5 last=null",
                    "GET /sessions/3/statements/8/events accept=text/event-stream last=1"), requests);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPostAnsweredWithJsonIsFollowedOnTheEventsEndpoint() throws Exception {
        // A fake plain Livy, which ignores Accept and answers the POST with the statement's JSON.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sessions/3/statements", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean post = exchange.getRequestMethod().equals("POST");
            byte[] body = post ? "{\"id\":9,\"code\":\"1\",\"state\":\"waiting\",\"output\":null}"
                    .getBytes(StandardCharsets.UTF_8) : event(1, "result", "{\"id\":9,\"state\":\"available\"}");
            exchange.getResponseHeaders().add("Content-Type", post ? "application/json" : "text/event-stream");
            exchange.sendResponseHeaders(post ? 201 : 200, 0);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (GatewayClient client = new GatewayClient("http://127.0.0.1:" + server.getAddress().getPort())) {
            PostedStatement posted = client.postStatement(3, "1", StatementKind.PYSPARK);
            assertEquals(9, posted.id());
            assertFalse(posted.streaming());
            assertEquals(List.of("1 result"), readToResult(new StatementEvents(client, 3, posted, GatewayOutage.withDefaultGrace())));
        } finally {
            server.stop(0);
        }
    }

    private static List<String> readToResult(StatementEvents events) throws InterruptedException {
        try (events) {
            List<String> seen = new ArrayList<>();
            while (seen.isEmpty() || !seen.get(seen.size() - 1).endsWith(" result")) {
                SseEvent event = assertInstanceOf(StatementEvents.Event.class, events.next(10_000)).event();
                seen.add(event.id() + " " + event.type());
            }
            return seen;
        }
    }

    private static byte[] event(long id, String type, String data) {
        return ("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
