package io.hearth.engine.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java statements whose functions run on executors in other JVMs (local-cluster: two workers, one core each), which
 * load snippet classes only from the REPL class directory the driver serves.
 */
class JavaOnExecutorJvmsTest {

    private static JavaSession session;

    /**
     * No Spark distribution is needed: executors get the test's class path. SPARK_TESTING=1 in the executors'
     * environment only stops the worker's command builder from demanding a distribution's jars/ directory.
     */
    @BeforeAll
    static void startSession() throws Exception {
        session = new JavaSession(Map.of(
                "spark.master", "local-cluster[2,1,1024]",
                "spark.executor.memory", "512m",
                "spark.executor.extraClassPath", System.getProperty("java.class.path"),
                "spark.executorEnv.SPARK_SCALA_VERSION", "2.13",
                "spark.executorEnv.SPARK_TESTING", "1"), JavaInterpreter.DEFAULT_STOP_GRACE);
    }

    @AfterAll
    static void stopSession() throws IOException {
        if (session == null) {
            return;
        }
        String appId = session.spark.sparkContext().applicationId();
        session.close();
        // Without a SPARK_HOME the in-process workers keep executor logs under ./work: remove this run's.
        Path work = Path.of("work");
        deleteTree(work.resolve(appId));
        try (Stream<Path> left = Files.list(work)) {
            if (left.findAny().isEmpty()) {
                Files.delete(work);
            }
        } catch (NoSuchFileException alreadyGone) {
            // nothing was written
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
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
    void topLevelVariableInAFunctionIsRefused() throws Exception {
        session.run("int factor = 3;");
        assertEquals(SnippetExecutionControl.TOP_LEVEL_VARIABLE_ERROR,
                session.run("jsc.parallelize(List.of(1, 2, 3), 2).map(x -> x * factor).collect()").output().ename());
    }
}
