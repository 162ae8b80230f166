package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A session's start from the warm pool against a cold one, on one real gateway with a pool of one: {@code POST
 * /sessions} to {@code idle}, interleaved (warm, then cold while the pool refills), for a request with the defaults and
 * one that sets a runtime setting (set on the pooled engine at its hand-over). Run with
 * {@code mvn -pl session-gateway surefire:test -Dtest=PoolBenchmark -Dhearth.bench=true [-Dhearth.bench.runs=N]}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class PoolBenchmark {

    private static final int RUNS = Integer.getInteger("hearth.bench.runs", 3);
    private static final Duration WAIT = Duration.ofMinutes(6);

    @Test
    void warmAgainstColdStarts() throws Exception {
        List<Double> warm = new ArrayList<>();
        List<Double> warmConf = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.POOL_SIZE, 1).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            String base = gateway.baseUrl();
            for (int i = 0; i < RUNS; i++) {
                warm.add(warmStart(base, livy, "{\"kind\": \"pyspark\"}"));
                cold.add(coldStart(livy));
                warmConf.add(warmStart(base, livy,
                        "{\"kind\": \"pyspark\", \"conf\": {\"spark.sql.shuffle.partitions\": \"8\"}}"));
            }
        }
        System.out.println("HEARTH-BENCH | POST /sessions -> idle | runs | p50 | min | max |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|");
        row("warm, defaults", warm);
        row("warm, one `spark.sql.*` setting applied at hand-over", warmConf);
        row("cold (`driverMemory` set), polled every 10 ms", cold);
    }

    /**
     * The quickstart's case: a session requested while the pool's engine starts ({@code hearth.bench.delay} ms after a
     * fresh gateway answers, default 4000), then its first statement. A default request takes that engine
     * ({@code warming}); one with a runtime setting cannot take a starting engine, so it starts cold beside it, as
     * every request did before. Interleaved, a fresh gateway per start.
     */
    @Test
    void requestWhileThePoolsEngineStarts() throws Exception {
        long delay = Long.getLong("hearth.bench.delay", 4000);
        List<double[]> taken = new ArrayList<>();
        List<double[]> beside = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            taken.add(startOnFreshGateway(delay, "{\"kind\": \"pyspark\"}", "warming"));
            beside.add(startOnFreshGateway(delay,
                    "{\"kind\": \"pyspark\", \"conf\": {\"spark.sql.shuffle.partitions\": \"8\"}}", "cold"));
        }
        System.out.println("HEARTH-BENCH | POST /sessions " + delay + " ms after the gateway's start | runs | p50 | min | max |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|");
        row("takes the pool's starting engine (`warming`): to idle", taken.stream().map(t -> t[0]).toList());
        row("takes the pool's starting engine (`warming`): to the first result", taken.stream().map(t -> t[1]).toList());
        row("cold beside the pool's starting engine: to idle", beside.stream().map(t -> t[0]).toList());
        row("cold beside the pool's starting engine: to the first result", beside.stream().map(t -> t[1]).toList());
    }

    /** Milliseconds from the POST to idle, and to the result of {@code spark.range(10).count()} sent at idle. */
    private static double[] startOnFreshGateway(long delay, String body, String mode) throws Exception {
        try (Gateway gateway = Gateway.start(TestEngine.settings().with(Settings.POOL_SIZE, 1).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            Thread.sleep(delay);
            long t0 = System.nanoTime();
            JsonObject s = livy.post("/sessions", body).json();
            assertEquals(mode, s.getAsJsonObject("start").get("mode").getAsString(), s.toString());
            int id = s.get("id").getAsInt();
            livy.awaitSessionState(id, "idle", WAIT);
            double idle = (System.nanoTime() - t0) / 1e6;
            JsonObject code = new JsonObject();
            code.addProperty("code", "spark.range(10).count()");
            int st = livy.post("/sessions/" + id + "/statements", code.toString()).json().get("id").getAsInt();
            JsonObject done = livy.awaitStatementDone(id, st, WAIT);
            assertEquals("10", done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
            return new double[] {idle, (System.nanoTime() - t0) / 1e6};
        }
    }

    /** Waits until the pool has an engine ready to take, then times a request it serves. */
    private static double warmStart(String base, LivyClient livy, String body) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readyEngines(base) < 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the pool did not get an engine ready");
            }
            Thread.sleep(50);
        }
        long t0 = System.nanoTime();
        JsonObject s = livy.post("/sessions", body).json();
        double ms = (System.nanoTime() - t0) / 1e6;
        livy.delete("/sessions/" + s.get("id").getAsInt());
        assertEquals("warm", s.getAsJsonObject("start").get("mode").getAsString(), s.toString());
        assertEquals("idle", s.get("state").getAsString());
        return ms;
    }

    private static double readyEngines(String base) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith("hearth_pool_engines{state=\"ready\"} ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static double coldStart(LivyClient livy) {
        long t0 = System.nanoTime();
        int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"driverMemory\": \"512m\"}").json().get("id")
                .getAsInt();
        livy.awaitSessionState(id, "idle", WAIT);
        double ms = (System.nanoTime() - t0) / 1e6;
        livy.delete("/sessions/" + id);
        return ms;
    }

    private static void row(String name, List<Double> ms) {
        List<Double> sorted = GatewayBenchmark.sorted(ms);
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH | %s | %d | %.0f ms | %.0f ms | %.0f ms |", name,
                sorted.size(), GatewayBenchmark.pct(sorted, 50), sorted.get(0), sorted.get(sorted.size() - 1)));
    }
}
