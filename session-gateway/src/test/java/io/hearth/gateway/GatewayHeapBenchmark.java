package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway-heap benchmark (not a test: skipped unless asked for). A real gateway in a JVM of its own with a
 * {@code hearth.bench.heap} (512m) heap and {@code hearth.bench.sessions} (4) real sessions run
 * {@code hearth.bench.statements} (10,000) statements, spread over the sessions, each printing nearly the output cap
 * ({@code hearth.bench.cap}, 1m), in blocks of {@code hearth.bench.block} (1,000); after each block the gateway's heap after a full GC
 * ({@code jcmd GC.run}, then {@code GC.heap_info}) and the block's statements/s. Then every statement is read back,
 * checked equal to what it printed, and the read rate and heap are reported; a statement of each session is also read
 * through Livy's paged list. Run: {@code bin/hearth bench heap} (add e.g. {@code -Dhearth.bench.statements=2000}).
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class GatewayHeapBenchmark {

    private static final int STATEMENTS = Integer.getInteger("hearth.bench.statements", 10_000);
    private static final int SESSIONS = Integer.getInteger("hearth.bench.sessions", 4);
    private static final String HEAP = System.getProperty("hearth.bench.heap", "512m");
    private static final String CAP = System.getProperty("hearth.bench.cap", "1m");
    private static final int BLOCK = Integer.getInteger("hearth.bench.block", 1000);
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    @Test
    void thousandsOfStatementsAtTheOutputCapStayReadableInABoundedHeap() throws Exception {
        int chars = (int) (parseSize(CAP) - 4096);
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
        env.put("HEARTH_PYTHON", TestEngine.python());
        env.put("HEARTH_STATE_DIR", dir.resolve("state").toString());
        env.put("HEARTH_STATEMENT_MAX_OUTPUT", CAP);
        GatewayProcess gateway = GatewayProcess.startWithHeap(HEAP, 0, env, dir.resolve("gateway.log"),
                Duration.ofMinutes(2));
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            List<Integer> sessions = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                sessions.add(livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\":"
                        + " \"false\"}}").json().get("id").getAsInt());
            }
            for (int s : sessions) {
                livy.awaitSessionState(s, "idle", TestEngine.START);
            }
            say("gateway heap " + HEAP + ", " + SESSIONS + " sessions, cap " + CAP + ": each statement prints " + chars
                    + " characters; " + STATEMENTS + " statements in blocks of " + BLOCK);
            say("| statements done | block time s | block statements/s | gateway heap after GC MiB |");
            say("|---|---|---|---|");
            List<Double> rates = new ArrayList<>();
            List<Double> heaps = new ArrayList<>();
            // Statement n runs in session n % SESSIONS, as its statement n / SESSIONS there.
            long t0 = System.nanoTime();
            for (int first = 0; first < STATEMENTS; first += BLOCK) {
                long b0 = System.nanoTime();
                int end = Math.min(STATEMENTS, first + BLOCK);
                for (int n = first; n < end; n++) {
                    CappedStatements.submit(livy, sessions.get(n % SESSIONS), n, chars);
                }
                for (int n = Math.max(first, end - SESSIONS); n < end; n++) {
                    CappedStatements.awaitDone(livy, gateway, sessions.get(n % SESSIONS), n / SESSIONS,
                            Duration.ofHours(1));
                }
                double seconds = (System.nanoTime() - b0) / 1e9;
                double heap = heapAfterGc(gateway);
                rates.add((end - first) / seconds);
                heaps.add(heap);
                say(String.format("| %d | %.1f | %.1f | %.0f |", end, seconds, (end - first) / seconds, heap));
            }
            double runSeconds = (System.nanoTime() - t0) / 1e9;

            long r0 = System.nanoTime();
            for (int n = 0; n < STATEMENTS; n++) {
                CappedStatements.check(livy.get("/sessions/" + sessions.get(n % SESSIONS) + "/statements/"
                        + n / SESSIONS).json(), n, chars);
            }
            double readSeconds = (System.nanoTime() - r0) / 1e9;
            for (int i = 0; i < SESSIONS; i++) {
                int last = (STATEMENTS - 1 - i) / SESSIONS;
                JsonObject page = livy.get("/sessions/" + sessions.get(i) + "/statements?from=" + last + "&size=1")
                        .json();
                JsonArray listed = page.getAsJsonArray("statements");
                assertEquals(1, listed.size());
                CappedStatements.check(listed.get(0).getAsJsonObject(), last * SESSIONS + i, chars);
            }
            double heapAfterReads = heapAfterGc(gateway);
            say(String.format("ran %d statements in %.0f s (%.1f statements/s); block statements/s median %.1f"
                            + " (min %.1f, max %.1f); heap after GC median %.0f MiB (min %.0f, max %.0f)",
                    STATEMENTS, runSeconds, STATEMENTS / runSeconds, median(rates), Collections.min(rates),
                    Collections.max(rates), median(heaps), Collections.min(heaps), Collections.max(heaps)));
            say(String.format("read back all %d, each equal to what it printed, in %.0f s (%.1f statements/s);"
                    + " heap after GC then %.0f MiB; OutOfMemoryError in the gateway's log: %s", STATEMENTS,
                    readSeconds, STATEMENTS / readSeconds, heapAfterReads, gateway.output().contains("OutOfMemoryError")));
        } finally {
            gateway.stop();
        }
    }

    /** The gateway's used heap after a full collection, in MiB, from the JDK's own {@code jcmd}. */
    private static double heapAfterGc(GatewayProcess gateway) throws IOException, InterruptedException {
        String pid = Long.toString(gateway.handle().pid());
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new AssertionError("no 'used' in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static String jcmd(String pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid,
                command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static long parseSize(String text) {
        char unit = Character.toLowerCase(text.charAt(text.length() - 1));
        long n = Long.parseLong(Character.isDigit(unit) ? text : text.substring(0, text.length() - 1));
        return switch (unit) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> n;
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private static void say(String line) {
        System.out.println("HEARTH-BENCH " + line);
    }
}
