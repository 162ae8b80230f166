package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.engine.RunRecord;
import io.hearth.engine.SeparateExecutorsSpark;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python closures and UDFs, and SQL over Python's temp views, with executors in JVMs of their own (local-cluster). */
class PythonOnSeparateExecutorsTest {

    private static PythonSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new PythonSession(SeparateExecutorsSpark.conf());
        SeparateExecutorsSpark.awaitExecutors(session.spark.sparkContext(), Duration.ofSeconds(90));
        session.run("import os\n"
                + "def executor_jvm(_):\n"
                + "    # A Python worker's parent is pyspark's daemon, whose parent is the executor JVM.\n"
                + "    with open('/proc/%d/stat' % os.getppid()) as f:\n"
                + "        return int(f.read().split()[3])");
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void pythonTasksRunUnderExecutorJvmsOtherThanTheEngine() throws Exception {
        String pids = session.run("sorted(set(sc.parallelize(range(8), 8).map(executor_jvm).collect()))").textPlain();
        Set<Long> jvms = Arrays.stream(pids.replaceAll("[\\[\\] ]", "").split(",")).map(Long::parseLong)
                .collect(Collectors.toSet());
        assertFalse(jvms.contains(ProcessHandle.current().pid()), "tasks ran in the engine JVM: " + pids);
        assertEquals(SeparateExecutorsSpark.EXECUTORS, jvms.size(), pids);
    }

    @Test
    void anRddMapWithAClosureVariableGivesTheRightAnswer() throws Exception {
        session.run("factor = 3");
        assertEquals("[0, 3, 6, 9, 12, 15, 18, 21]",
                session.run("sc.parallelize(range(8), 4).map(lambda x: x * factor).collect()").textPlain());
    }

    @Test
    void aPythonUdfDefinedInACellRunsOnTheExecutors() throws Exception {
        session.run("from pyspark.sql.functions import udf\n"
                + "offset = 100\n"
                + "def shifted(n):\n"
                + "    return n + offset\n"
                + "shift = udf(shifted, 'long')");
        assertEquals("[100, 101, 102, 103]",
                session.run("[r[0] for r in spark.range(4).select(shift('id')).collect()]").textPlain());
    }

    @Test
    void sqlSeesATempViewCreatedInPython() throws Exception {
        session.run("spark.createDataFrame([(1,), (2,), (3,)], 'n int').createOrReplaceTempView('numbers')");
        RunRecord run = session.await(session.submit("sql", "SELECT sum(n * 2) AS total FROM numbers"));
        JsonObject json = run.finished().output().data().getAsJsonObject("application/json");
        assertEquals("[[12]]", json.get("data").toString());
        assertTrue(run.finished().output().data().get("text/plain").getAsString().contains("12"));
    }
}
