package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Clients that open a statement's event stream and never read a byte (raw sockets: the request is sent, the answer
 * left in the socket), and {@code /health} timed meanwhile. For {@link StatementEventStreamTest} and
 * {@link EventStreamBenchmark}.
 */
final class IdleStreamLoad implements AutoCloseable {

    /** {@code /health} round trips in milliseconds, and how many got no answer within the timeout. */
    record HealthTimes(List<Double> millis, int timedOut) {
        double percentile(double p) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1));
        }

        String summary() {
            return String.format(java.util.Locale.ROOT, "%d answered, p50 %.2f ms, p99 %.2f ms, max %.2f ms,"
                    + " %d timed out", millis.size(), percentile(50), percentile(99), percentile(100), timedOut);
        }
    }

    private final List<Socket> sockets = new ArrayList<>();

    private IdleStreamLoad() {}

    /** Opens {@code n} connections, each asking for {@code eventsPath}'s events, none ever read. */
    static IdleStreamLoad open(String baseUrl, String eventsPath, int n) throws IOException {
        URI base = URI.create(baseUrl);
        byte[] request = ("GET " + eventsPath + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        IdleStreamLoad load = new IdleStreamLoad();
        try {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                load.sockets.add(s);
                s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
            }
        } catch (IOException | RuntimeException e) {
            load.close();
            throw e;
        }
        return load;
    }

    /** {@code GET /health} one after another (20 ms apart) for {@code during}, each given {@code timeout}. */
    static HealthTimes timeHealth(String baseUrl, Duration during, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(timeout).GET().build();
        List<Double> millis = new ArrayList<>();
        int timedOut = 0;
        long end = System.nanoTime() + during.toNanos();
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                millis.add((System.nanoTime() - t0) / 1e6);
                assertEquals(200, r.statusCode(), r.body());
            } catch (HttpTimeoutException e) {
                timedOut++;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread.sleep(20);
        }
        return new HealthTimes(millis, timedOut);
    }

    /**
     * Waits until the gateway's {@code /metrics} reports {@code n} event streams open; fails if {@code /metrics} goes
     * unanswered for 2 s (as when every server thread is held) or the count is not reached within a minute.
     */
    static void awaitOpenStreams(String baseUrl, int n) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest metrics = HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).timeout(Duration.ofSeconds(2))
                .build();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                last = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().lines()
                        .filter(l -> l.startsWith("hearth_event_streams_open ")).findFirst().orElse("");
            } catch (HttpTimeoutException e) {
                throw new AssertionError("/metrics went unanswered for 2 s while " + n + " event streams were to be"
                        + " open; it last said: " + last, e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (last.equals("hearth_event_streams_open " + n)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + n + " open event streams, the gateway reports: " + last);
    }

    /** Live threads in this JVM (the gateway's among them). */
    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** Threads whose stack, at this moment, runs code of a class whose name starts with {@code prefix}. */
    static int threadsIn(String prefix) {
        return (int) Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith(prefix)))
                .count();
    }

    /** Drops every connection. */
    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing is all that is wanted.
            }
        }
        sockets.clear();
    }
}
