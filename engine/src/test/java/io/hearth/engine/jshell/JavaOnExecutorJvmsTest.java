package io.hearth.engine.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.engine.SeparateExecutorsSpark;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java statements whose functions run on executors in other JVMs (local-cluster: two workers, one core each), which
 * load snippet classes only from the REPL class directory the driver serves.
 */
class JavaOnExecutorJvmsTest {

    private static JavaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new JavaSession(SeparateExecutorsSpark.conf(), JavaInterpreter.DEFAULT_STOP_GRACE);
        SeparateExecutorsSpark.awaitExecutors(session.spark.sparkContext(), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void lambdasAndClassesFromCellsRunInExecutorJvms() throws Exception {
        assertEquals("[2, 4, 6]", session.run("jsc.parallelize(List.of(1, 2, 3), 2).map(x -> x * 2).collect()")
                .textPlain());
        session.run("record Scaled(int v) implements java.io.Serializable {\n  int times(int f) { return v * f; }\n}");
        assertEquals("[5, 10, 15]", session.run("List<Integer> out;\n{\n  int f = 5;\n"
                + "  out = jsc.parallelize(List.of(1, 2, 3), 2).map(x -> new Scaled(x).times(f)).collect();\n}\nout")
                .textPlain());
        assertEquals("Scaled[v=2]", session.run("jsc.parallelize(List.of(1, 2), 2).map(Scaled::new).collect().get(1)")
                .textPlain(), "objects of cell classes come back to the driver");
        assertEquals("false", session.run("long driverPid = ProcessHandle.current().pid();\n"
                + "jsc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> ProcessHandle.current().pid()).collect()"
                + ".contains(driverPid)").textPlain(), "tasks ran in executor JVMs, not in the driver");
    }

    @Test
    void topLevelVariablesReachExecutorJvmsCapturedWhenTheLambdaIsCreated() throws Exception {
        session.run("final int factor = 3;");
        assertEquals("[3, 6, 9]", session.run("jsc.parallelize(List.of(1, 2, 3), 2).map(x -> x * factor).collect()")
                .textPlain(), "a final top-level int: Scala's class-based REPL gives the same");
        session.run("long big = 10_000_000_000L;\nString label = \"n=\";\ndouble half = 0.5;");
        assertEquals("[n=1:10000000001:0.5, n=2:10000000002:1.0]", session.run("jsc.parallelize(List.of(1, 2), 2)"
                + ".map(x -> label + x + \":\" + (big + x) + \":\" + half * x).collect()").textPlain(),
                "wide and object values");
        assertEquals("[30, 60]", session.run("jsc.parallelize(List.of(1, 2), 2).map(x -> {\n"
                + "  Function<Integer, Integer> tenfold = y -> y * factor * 10;\n  return tenfold.call(x);\n})"
                + ".collect()").textPlain(), "a lambda created inside a shipped lambda");
        assertEquals("[f, 1e]", session.run("jsc.parallelize(List.of(1, 2), 2).map(x -> x * factor * 5)"
                + ".map(Integer::toHexString).collect()").textPlain(), "a method reference beside a rewritten lambda");
        session.run("int step = 2;\nvar times = jsc.parallelize(List.of(1, 2), 2).map(x -> x * step);");
        session.run("step = 100;");
        assertEquals("[2, 4]", session.run("times.collect()").textPlain(),
                "the value is the one when the lambda was created");
        assertEquals("[100, 200]", session.run("jsc.parallelize(List.of(1, 2), 2).map(x -> x * step).collect()")
                .textPlain(), "a new lambda sees the new value");
    }
}
