package io.hearth.gateway;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The unread-streams benchmark (not a test: skipped unless asked for). One real gateway and one real session (local
 * Spark) running a statement that prints every 100 ms for 40 s; {@code /health} is timed for 10 s with no stream
 * open, then again with {@code hearth.bench.streams} (2,000) clients that opened the statement's event stream and never
 * read, while one client reads every event. Prints the JVM's live threads (gateway and test share it) and the
 * {@code /health} round trips (a 2 s timeout counts as unanswered). Run: {@code bin/hearth bench streams}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class EventStreamBenchmark {

    private static final int STREAMS = Integer.getInteger("hearth.bench.streams", 2000);
    private static final Duration MEASURE = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void healthWhileThousandsOfStreamsAreOpenAndUnread() throws Exception {
        try (Gateway gateway = Gateway.start(TestEngine.settings()
                .with(Settings.MAX_STREAMS_PER_USER, STREAMS + 1).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(session, "idle", TestEngine.START);
            JsonObject code = new JsonObject();
            code.addProperty("code", "import time\nfor i in range(400):\n    print(i, flush=True)\n    time.sleep(0.1)\n'done'");
            int sid = livy.post("/sessions/" + session + "/statements", code.toString()).json().get("id").getAsInt();
            String events = "/sessions/" + session + "/statements/" + sid + "/events";

            int threadsIdle = IdleStreamLoad.threads();
            int heldIdle = IdleStreamLoad.threadsIn("io.hearth.gateway.rest.");
            IdleStreamLoad.HealthTimes quiet = IdleStreamLoad.timeHealth(gateway.baseUrl(), MEASURE, TIMEOUT);
            CompletableFuture<List<EventStreamClient.Event>> reader = CompletableFuture.supplyAsync(() -> {
                try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), events, Optional.empty())) {
                    return c.readAll();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            IdleStreamLoad.HealthTimes loaded;
            int threadsLoaded;
            int held;
            try (IdleStreamLoad idle = open(gateway, events)) {
                loaded = IdleStreamLoad.timeHealth(gateway.baseUrl(), MEASURE, TIMEOUT);
                threadsLoaded = IdleStreamLoad.threads();
                held = IdleStreamLoad.threadsIn("io.hearth.gateway.rest.");
            }
            List<EventStreamClient.Event> read = reader.get();
            long outputs = read.stream().filter(e -> e.type().equals("output")).count();
            boolean inOrder = true;
            for (int i = 1; i < read.size(); i++) {
                inOrder &= read.get(i).id() > read.get(i - 1).id();
            }
            System.out.println("HEARTH-BENCH | unread event streams | JVM threads | threads in stream code"
                    + " | /health answered | p50 | p99 | max | unanswered in 2 s |");
            System.out.println("HEARTH-BENCH |---|---|---|---|---|---|---|---|");
            row(0, threadsIdle, heldIdle, quiet);
            row(STREAMS, threadsLoaded, held, loaded);
            System.out.println("HEARTH-BENCH reader: " + read.size() + " events, " + outputs + " output, ids increasing: "
                    + inOrder + ", last: " + (read.isEmpty() ? "none" : read.get(read.size() - 1).type()));
        }
    }

    /** Opens the unread streams and waits until the gateway holds them all (and the reader's). */
    private static IdleStreamLoad open(Gateway gateway, String events) throws Exception {
        long t0 = System.nanoTime();
        IdleStreamLoad idle = IdleStreamLoad.open(gateway.baseUrl(), events, STREAMS);
        long sent = System.nanoTime();
        try {
            IdleStreamLoad.awaitOpenStreams(gateway.baseUrl(), STREAMS + 1);
        } catch (AssertionError e) {
            idle.close();
            throw e;
        }
        System.out.println("HEARTH-BENCH " + STREAMS + " streams: requests sent in " + (sent - t0) / 1_000_000
                + " ms, all open " + (System.nanoTime() - t0) / 1_000_000 + " ms after the first");
        return idle;
    }

    private static void row(int streams, int threads, int held, IdleStreamLoad.HealthTimes h) {
        System.out.printf(java.util.Locale.ROOT, "HEARTH-BENCH | %d | %d | %d | %d | %.2f ms | %.2f ms | %.2f ms | %d |%n",
                streams, threads, held, h.millis().size(), h.percentile(50), h.percentile(99), h.percentile(100),
                h.timedOut());
    }
}
