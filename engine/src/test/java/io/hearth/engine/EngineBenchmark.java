package io.hearth.engine;

import io.hearth.engine.python.PythonSession;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The engine benchmark (not a test: it asserts nothing and is skipped unless asked for). Times a trivial Python
 * statement through the statement runner and the attached Python, beside the floor: the same statement in plain
 * Python with pyspark in-process. Run: {@code bin/hearth bench engine}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class EngineBenchmark {

    private static final int RUNS = 1_000;
    private static final int WARMUP = 100;
    private static final String CODE = "1+1";

    @Test
    void trivialStatementInsideTheEngineBesideThePlainPythonFloor() throws Exception {
        List<Double> engine = new ArrayList<>();
        try (PythonSession session = new PythonSession()) {
            for (int i = 0; i < WARMUP + RUNS; i++) {
                long start = System.nanoTime();
                RunRecord run = session.run(CODE);
                long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
                if (!"2".equals(run.textPlain())) {
                    throw new AssertionError("wrong result: " + run.textPlain());
                }
                if (i >= WARMUP) {
                    engine.add((double) micros);
                }
            }
        }
        List<Double> floor = floor();
        System.out.println("HEARTH-BENCH | statement `" + CODE + "` | runs | p50 | p99 | min | max |");
        System.out.println("HEARTH-BENCH | engine (runner -> py4j -> Python -> runner) | " + row(engine));
        System.out.println("HEARTH-BENCH | floor (plain Python, pyspark in-process) | " + row(floor));
    }

    private static List<Double> floor() throws Exception {
        Path script = Path.of(System.getProperty("user.dir"), "src", "test", "python", "statement_floor.py");
        Process p = new ProcessBuilder(System.getProperty("hearth.python"), script.toString(), String.valueOf(RUNS), CODE)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new AssertionError("the floor benchmark failed: " + out);
        }
        List<Double> times = new ArrayList<>();
        JsonParser.parseString(out.substring(out.lastIndexOf('\n') + 1)).getAsJsonArray()
                .forEach(e -> times.add(e.getAsDouble()));
        return times;
    }

    private static String row(List<Double> micros) {
        List<Double> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%d | %s | %s | %s | %s |", sorted.size(), ms(percentile(sorted, 50)),
                ms(percentile(sorted, 99)), ms(sorted.get(0)), ms(sorted.get(sorted.size() - 1)));
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String ms(double micros) {
        return String.format(Locale.ROOT, "%.3f ms", micros / 1000);
    }
}
