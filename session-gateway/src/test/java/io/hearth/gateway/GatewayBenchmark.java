package io.hearth.gateway;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.threads.NamedThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The gateway benchmark (not a test: skipped unless asked for, and it fails only when a statement comes back wrong).
 * One real gateway, real engines, real HTTP on loopback with Java's HttpClient: (1) a trivial statement's round trip,
 * POST to final result, through the events stream, a 1 ms poll loop, the long-poll, and sparkmagic's poll schedule,
 * beside the engine's own time for the same statements; (2) cold session starts to idle; (3) 8 sessions at once, 200
 * statements each, every result checked. Run: {@code bin/hearth bench gateway}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class GatewayBenchmark {

    private static final int WARMUP = 50;
    private static final int RUNS = Integer.getInteger("hearth.bench.runs", 500);
    private static final int SPARKMAGIC_RUNS = 50;
    private static final int COLD_STARTS = 5;
    private static final int SESSIONS = 8;
    private static final int STATEMENTS = 200;
    /** Small drivers, so that eight engines fit beside other work. */
    private static final String SESSION_BODY = "{\"kind\": \"pyspark\", \"driverMemory\": \"512m\","
            + " \"conf\": {\"spark.ui.enabled\": \"false\"}}";
    /** Eight Spark JVMs starting at once on two cores take minutes. */
    private static final Duration WAIT = Duration.ofMinutes(6);

    /** What one timed statement gave: the client's round trip and the engine's own start-to-end, both in microseconds. */
    private record Sample(double roundTripMicros, double engineMicros) {}

    @Test
    void roundTripColdStartAndEightConcurrentSessions() throws Exception {
        // Eight sessions start at once here: more than hearth.session.max-starting allows by default.
        // -Dhearth.bench.launcher=spark-submit measures the same through spark-submit (docs/benchmarks.md).
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.MAX_STARTING, 8)
                .with(Settings.LAUNCHER, System.getProperty("hearth.bench.launcher", "auto")).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            List<Double> coldStarts = new ArrayList<>();
            int session = -1;
            for (int i = 0; i < COLD_STARTS; i++) {
                if (session >= 0) {
                    livy.delete("/sessions/" + session);
                }
                long t0 = System.nanoTime();
                session = livy.post("/sessions", SESSION_BODY).json().get("id").getAsInt();
                awaitIdle(livy, session);
                coldStarts.add((System.nanoTime() - t0) / 1000.0);
            }
            roundTrips(gateway, livy, session);
            print("cold session start (POST /sessions -> idle, polled every 10 ms)", coldStarts, "");
            livy.delete("/sessions/" + session);
            concurrentSessions(livy);
        }
    }

    private void roundTrips(Gateway gateway, LivyClient livy, int session) throws IOException {
        String base = gateway.baseUrl();
        String statements = "/sessions/" + session + "/statements";
        java.net.http.HttpClient sse = EventStreamClient.newHttpClient();
        IntFunction<Sample> events = i -> {
            long t0 = System.nanoTime();
            int sid = post(livy, statements, "1+1");
            try (EventStreamClient c = EventStreamClient.open(sse, base, statements + "/" + sid + "/events",
                    Optional.empty())) {
                List<EventStreamClient.Event> all = c.readAll();
                return sample(t0, all.get(all.size() - 1).data().getAsJsonObject(), "2");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        IntFunction<Sample> poll1ms = i -> poll(livy, statements, new long[] {1});
        IntFunction<Sample> longPoll = i -> {
            long t0 = System.nanoTime();
            int sid = post(livy, statements, "1+1");
            return sample(t0, livy.get(statements + "/" + sid + "?wait=60s").json(), "2");
        };
        // sparkmagic 0.23: sleeps 0.2, 0.5, 0.5, 1, 1, 2, 2 ... seconds between polls.
        IntFunction<Sample> sparkmagic = i -> poll(livy, statements, new long[] {200, 500, 500, 1000, 1000, 2000});
        List<Sample> e = new ArrayList<>();
        List<Sample> p = new ArrayList<>();
        List<Sample> l = new ArrayList<>();
        // Interleaved, so that load from other work on the machine falls on every method alike.
        for (int i = 0; i < WARMUP + RUNS; i++) {
            Sample se = events.apply(i);
            Sample sp = poll1ms.apply(i);
            Sample sl = longPoll.apply(i);
            if (i >= WARMUP) {
                e.add(se);
                p.add(sp);
                l.add(sl);
            }
        }
        List<Sample> s = new ArrayList<>();
        for (int i = 0; i < SPARKMAGIC_RUNS; i++) {
            s.add(sparkmagic.apply(i));
        }
        System.out.println("HEARTH-BENCH | statement `1+1`, POST -> final result | runs | p50 | p99 | min | max |"
                + " engine p50 | round trip - engine, p50 | p99 |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|---|---|---|---|");
        row("events stream (SSE) until `result`", e);
        row("poll loop, 1 ms sleep", p);
        row("long-poll `?wait=60s`", l);
        row("sparkmagic's poll schedule (0.2 s first)", s);
    }

    private static Sample poll(LivyClient livy, String statements, long[] sleeps) {
        long t0 = System.nanoTime();
        int sid = post(livy, statements, "1+1");
        for (int n = 0; ; n++) {
            JsonObject st = livy.get(statements + "/" + sid).json();
            if (st.get("state").getAsString().equals("available")) {
                return sample(t0, st, "2");
            }
            LivyClient.sleep(sleeps[Math.min(n, sleeps.length - 1)]);
        }
    }

    private void concurrentSessions(LivyClient livy) throws Exception {
        long t0 = System.nanoTime();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            ids.add(livy.post("/sessions", SESSION_BODY).json().get("id").getAsInt());
        }
        for (int id : ids) {
            awaitIdle(livy, id);
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        ExecutorService clients = Executors.newFixedThreadPool(SESSIONS, new NamedThreadFactory("bench-client", true));
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long t1 = System.nanoTime();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            int session = ids.get(s);
            int salt = s * 1000;
            runs.add(CompletableFuture.runAsync(() -> {
                String statements = "/sessions/" + session + "/statements";
                for (int i = 0; i < STATEMENTS; i++) {
                    long n = salt + i;
                    long t = System.nanoTime();
                    int sid = post(livy, statements, n + "*" + n);
                    JsonObject st = livy.get(statements + "/" + sid + "?wait=60s").json();
                    sample(t, st, String.valueOf(n * n));
                    latencies.add((System.nanoTime() - t) / 1000.0);
                }
            }, clients));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        double seconds = (System.nanoTime() - t1) / 1e9;
        clients.shutdown();
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH %d sessions started at once, all idle after %.1f s",
                SESSIONS, startSeconds));
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH %d sessions x %d statements (`n*n`, each result"
                + " checked, long-poll), one client thread per session: %d statements in %.2f s = %.0f statements/s",
                SESSIONS, STATEMENTS, SESSIONS * STATEMENTS, seconds, SESSIONS * STATEMENTS / seconds));
        print("statement round trip under that load", latencies, "");
        for (int id : ids) {
            livy.delete("/sessions/" + id);
        }
    }

    private static void awaitIdle(LivyClient livy, int session) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String state = livy.get("/sessions/" + session + "/state").json().get("state").getAsString();
            if (state.equals("idle")) {
                return;
            }
            if (state.equals("dead")) {
                throw new AssertionError("session " + session + " died: " + livy.get("/sessions/" + session).body());
            }
            LivyClient.sleep(10);
        }
        throw new AssertionError("session " + session + " not idle after " + WAIT);
    }

    private static int post(LivyClient livy, String statements, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post(statements, body.toString());
        if (r.status() != 201) {
            throw new AssertionError("POST " + statements + " answered " + r.status() + ": " + r.body());
        }
        return r.json().get("id").getAsInt();
    }

    /** Checks the result and returns the sample; the engine's time is its own started/completed (whole ms). */
    private static Sample sample(long t0, JsonObject statement, String expected) {
        double roundTrip = (System.nanoTime() - t0) / 1000.0;
        String text = statement.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
        if (!statement.get("state").getAsString().equals("available") || !text.equals(expected)) {
            throw new AssertionError("expected " + expected + ", got " + statement);
        }
        double engine = (statement.get("completed").getAsLong() - statement.get("started").getAsLong()) * 1000.0;
        return new Sample(roundTrip, engine);
    }

    private static void row(String name, List<Sample> samples) {
        List<Double> rt = sorted(samples.stream().map(Sample::roundTripMicros).toList());
        List<Double> engine = sorted(samples.stream().map(Sample::engineMicros).toList());
        List<Double> over = sorted(samples.stream().map(s -> s.roundTripMicros() - s.engineMicros()).toList());
        System.out.println("HEARTH-BENCH | " + name + " | " + rt.size() + " | " + ms(pct(rt, 50)) + " | "
                + ms(pct(rt, 99)) + " | " + ms(rt.get(0)) + " | " + ms(rt.get(rt.size() - 1)) + " | "
                + ms(pct(engine, 50)) + " | " + ms(pct(over, 50)) + " | " + ms(pct(over, 99)) + " |");
    }

    private static void print(String name, List<Double> micros, String note) {
        List<Double> s = sorted(micros);
        System.out.println("HEARTH-BENCH " + name + ": n=" + s.size() + ", p50 " + ms(pct(s, 50)) + ", p99 "
                + ms(pct(s, 99)) + ", min " + ms(s.get(0)) + ", max " + ms(s.get(s.size() - 1)) + note);
    }

    static List<Double> sorted(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }

    static double pct(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
    }
}
