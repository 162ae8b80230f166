package io.hearth.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A test's Server-Sent Events client for the statement events endpoint: reads events as they arrive, over real HTTP. */
final class EventStreamClient implements AutoCloseable {

    /** One event as received, with the local time it arrived. */
    record Event(long id, String type, JsonElement data, long receivedAtMillis) {
        /** The same event without its arrival time, to compare what two reads delivered. */
        Event content() {
            return new Event(id, type, data, 0);
        }
    }

    private final HttpResponse<InputStream> response;
    private final BufferedReader reader;
    private int comments;

    private EventStreamClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** Opens {@code base + path} on a client of its own, with a {@code Last-Event-ID} header when given. */
    static EventStreamClient open(String base, String path, Optional<Long> lastEventId) {
        return open(newHttpClient(), base, path, lastEventId);
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Opens {@code base + path} on {@code http}, which may serve many streams (as a long-lived client's does). */
    static EventStreamClient open(HttpClient http, String base, String path, Optional<Long> lastEventId) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).GET()
                .header("Accept", "text/event-stream");
        lastEventId.ifPresent(id -> req.header("Last-Event-ID", String.valueOf(id)));
        try {
            return new EventStreamClient(http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST base + path} with the JSON {@code body}, asking for an event stream as the answer. */
    static EventStreamClient post(String base, String path, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").build();
        try {
            return new EventStreamClient(newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The answer's header {@code name}, if it has one. */
    Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    int status() {
        return response.statusCode();
    }

    Optional<String> contentType() {
        return response.headers().firstValue("Content-Type");
    }

    /** The whole body, for an error answer. */
    String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Comment lines (keep-alives) seen so far. */
    int comments() {
        return comments;
    }

    /** The next event, or empty at the end of the stream. */
    Optional<Event> next() throws IOException {
        Long id = null;
        String type = "message";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new Event(id == null ? -1 : id, type, JsonParser.parseString(data.toString()),
                            System.currentTimeMillis()));
                }
            } else if (line.startsWith(":")) {
                comments++;
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(line.substring(6));
            }
        }
        return Optional.empty();
    }

    /** Every event up to the end of the stream. */
    List<Event> readAll() throws IOException {
        List<Event> events = new ArrayList<>();
        Optional<Event> e;
        while ((e = next()).isPresent()) {
            events.add(e.get());
        }
        return events;
    }

    /** Drops the connection, as a client whose network fails does. */
    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
