package io.hearth.gateway;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.gateway.yarn.YarnTestBed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The YARN benchmark (not a test: skipped unless asked for), on the shared test bed in client deploy mode: session
 * start (POST /sessions to {@code idle}: spark-submit, the ApplicationMaster's container, the engine's interpreters)
 * for fresh sessions one after another, each deleted before the next; then, in one session, cancel of a pyspark job
 * whose two tasks sleep in YARN containers, timed from just before {@code POST .../cancel} to the statement's final
 * state in the client's hands. Run: {@code bin/hearth bench yarn}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class YarnBenchmark {

    private static final int STARTS = Integer.getInteger("hearth.bench.starts", 5);
    private static final int CANCELS = Integer.getInteger("hearth.bench.runs", 5);
    private static final String SESSION_BODY = """
            {"kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m", "numExecutors": 1,
             "executorCores": 2, "conf": {"spark.yarn.am.memory": "256m"}}""";
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Test
    void sessionStartAndCancelOnYarn() throws Exception {
        YarnTestBed bed = YarnTestBed.shared();
        List<Double> starts = new ArrayList<>();
        List<Double> cancels = new ArrayList<>();
        try (Gateway gateway = Gateway.start(YarnSessionTest.yarnGateway(bed).build())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int session = -1;
            for (int i = 0; i < STARTS; i++) {
                if (session >= 0) {
                    livy.delete("/sessions/" + session);
                }
                long t0 = System.nanoTime();
                session = livy.post("/sessions", SESSION_BODY).json().get("id").getAsInt();
                livy.awaitSessionState(session, "idle", WAIT);
                starts.add((System.nanoTime() - t0) / 1e6);
            }
            String statements = "/sessions/" + session + "/statements";
            expect(livy.get(statements + "/" + post(livy, statements, "sc.parallelize(range(4), 2).count()")
                    + "?wait=300s").json(), "4");
            for (int i = 0; i < CANCELS; i++) {
                int sid = post(livy, statements,
                        "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(600) or x).count()");
                String path = statements + "/" + sid;
                livy.awaitJson(path, st -> activeTasks(st) == 2, WAIT);
                long t0 = System.nanoTime();
                LivyClient.Response r = livy.post(path + "/cancel", "");
                if (r.status() != 200) {
                    throw new AssertionError("cancel answered " + r.status() + ": " + r.body());
                }
                JsonObject st = livy.get(path + "?wait=60s").json();
                cancels.add((System.nanoTime() - t0) / 1e6);
                if (!"cancelled".equals(st.get("state").getAsString())) {
                    throw new AssertionError("the cancelled statement ended " + st);
                }
            }
            livy.delete("/sessions/" + session);
        }
        System.out.println("HEARTH-BENCH | YARN, client deploy mode (test bed) | runs | p50 | min | max | all (ms, in"
                + " order) |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|---|");
        row("session start, POST /sessions -> idle", starts);
        row("cancel of a running pyspark job, POST .../cancel -> cancelled", cancels);
    }

    private static int activeTasks(JsonObject statement) {
        JsonArray jobs = statement.getAsJsonObject("hearth").getAsJsonArray("jobs");
        int active = 0;
        for (var j : jobs) {
            active += j.getAsJsonObject().get("active_tasks").getAsInt();
        }
        return active;
    }

    private static void expect(JsonObject statement, String expected) {
        JsonObject data = statement.getAsJsonObject("hearth").getAsJsonObject("data");
        String text = data == null || !data.has("text/plain") ? null : data.get("text/plain").getAsString();
        if (!"available".equals(statement.get("state").getAsString()) || text == null || !text.endsWith(expected)) {
            throw new AssertionError("expected " + expected + ", got " + statement);
        }
    }

    private static int post(LivyClient livy, String statements, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("kind", "pyspark");
        body.addProperty("code", code);
        LivyClient.Response r = livy.post(statements, body.toString());
        if (r.status() != 201) {
            throw new AssertionError("POST " + statements + " answered " + r.status() + ": " + r.body());
        }
        return r.json().get("id").getAsInt();
    }

    private static void row(String name, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        List<String> all = millis.stream().map(m -> String.format(Locale.ROOT, "%.0f", m)).toList();
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH | %s | %d | %.0f ms | %.0f ms | %.0f ms | %s |",
                name, sorted.size(), sorted.get((sorted.size() - 1) / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), String.join(", ", all)));
    }
}
