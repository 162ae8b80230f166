package io.hearth.gateway;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The cancel benchmark (not a test: skipped unless asked for; it fails only when a cancel does not end its statement
 * {@code cancelled}). One real gateway and fresh real sessions (local Spark); in each, a Spark job whose two tasks
 * sleep in Python workers (pyspark), then in JVM code (Scala, Java), is cancelled once both tasks run. Timed from just
 * before {@code POST .../cancel} to the statement's final state in the client's hands (long-poll), which is when the
 * session can run its next statement. The first cancel of a session is listed apart: it pays one-time costs.
 * Run: {@code bin/hearth bench cancel}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class CancelBenchmark {

    private static final int SESSIONS = Integer.getInteger("hearth.bench.sessions", 3);
    private static final int RUNS = Integer.getInteger("hearth.bench.runs", 10);
    private static final String SESSION_BODY = "{\"kind\": \"pyspark\", \"driverMemory\": \"512m\","
            + " \"conf\": {\"spark.ui.enabled\": \"false\"}}";
    private static final Duration WAIT = Duration.ofMinutes(3);

    /** A statement kind, a Spark job of two long tasks in it, and a statement that must work after the cancel. */
    private record Job(String kind, String code, String check, String expected) {}

    private static final List<Job> JOBS = List.of(
            new Job("pyspark", "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(600) or x).count()",
                    "1 + 1", "2"),
            new Job("spark", "sc.parallelize(1 to 2, 2).map { i => Thread.sleep(600000); i }.count()",
                    "1 + 1", "2"),
            new Job("java", "jsc.parallelize(List.of(1, 2), 2).map(x -> { Thread.sleep(600000); return x; }).count()",
                    "1 + 1", "2"));

    @Test
    void cancelOfARunningSparkJobToTheStatementsFinalState() throws Exception {
        List<Double> first = new ArrayList<>();
        List<List<Double>> byKind = new ArrayList<>();
        JOBS.forEach(j -> byKind.add(new ArrayList<>()));
        try (Gateway gateway = Gateway.start(TestEngine.config())) {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            for (int s = 0; s < SESSIONS; s++) {
                int session = livy.post("/sessions", SESSION_BODY).json().get("id").getAsInt();
                livy.awaitSessionState(session, "idle", WAIT);
                for (int k = 0; k < JOBS.size(); k++) {
                    Job job = JOBS.get(k);
                    // The interpreter's own start (Scala's compiler, JShell) is not what is measured.
                    expect(run(livy, session, job.kind(), job.check()), job.expected());
                    for (int i = 0; i < RUNS; i++) {
                        double millis = cancelOnce(livy, session, job);
                        (k == 0 && i == 0 ? first : byKind.get(k)).add(millis);
                    }
                }
                livy.delete("/sessions/" + session);
            }
        }
        System.out.println("HEARTH-BENCH | cancel of a running Spark job, POST .../cancel -> final state | runs | p50"
                + " | max | all (ms, in order) |");
        System.out.println("HEARTH-BENCH |---|---|---|---|---|");
        row("pyspark, first cancel of a fresh session", first);
        for (int k = 0; k < JOBS.size(); k++) {
            row(JOBS.get(k).kind() + (k == 0 ? ", later cancels" : ""), byKind.get(k));
        }
    }

    private static double cancelOnce(LivyClient livy, int session, Job job) {
        String statements = "/sessions/" + session + "/statements";
        int sid = post(livy, statements, job.kind(), job.code());
        String path = statements + "/" + sid;
        // Both tasks running: the job is in the executors, not just submitted (the last cancel's tasks may still be
        // on their way out and hold the slots).
        livy.awaitJson(path, st -> activeTasks(st) == 2, WAIT);
        long t0 = System.nanoTime();
        LivyClient.Response r = livy.post(path + "/cancel", "");
        if (r.status() != 200) {
            throw new AssertionError("cancel answered " + r.status() + ": " + r.body());
        }
        JsonObject st = livy.get(path + "?wait=60s").json();
        double millis = (System.nanoTime() - t0) / 1e6;
        if (!"cancelled".equals(st.get("state").getAsString())) {
            throw new AssertionError("the cancelled statement ended " + st);
        }
        expect(run(livy, session, job.kind(), job.check()), job.expected());
        return millis;
    }

    private static int activeTasks(JsonObject statement) {
        JsonArray jobs = statement.getAsJsonObject("hearth").getAsJsonArray("jobs");
        int active = 0;
        for (var j : jobs) {
            active += j.getAsJsonObject().get("active_tasks").getAsInt();
        }
        return active;
    }

    private static JsonObject run(LivyClient livy, int session, String kind, String code) {
        String statements = "/sessions/" + session + "/statements";
        int sid = post(livy, statements, kind, code);
        return livy.get(statements + "/" + sid + "?wait=60s").json();
    }

    private static void expect(JsonObject statement, String expected) {
        JsonObject data = statement.getAsJsonObject("hearth").getAsJsonObject("data");
        String text = data == null || !data.has("text/plain") ? null : data.get("text/plain").getAsString();
        if (!"available".equals(statement.get("state").getAsString()) || text == null || !text.endsWith(expected)) {
            throw new AssertionError("expected " + expected + ", got " + statement);
        }
    }

    private static int post(LivyClient livy, String statements, String kind, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("kind", kind);
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
        System.out.println(String.format(Locale.ROOT, "HEARTH-BENCH | %s | %d | %.0f ms | %.0f ms | %s |", name,
                sorted.size(), sorted.get((int) Math.ceil(0.5 * sorted.size()) - 1), sorted.get(sorted.size() - 1),
                String.join(", ", all)));
    }
}
