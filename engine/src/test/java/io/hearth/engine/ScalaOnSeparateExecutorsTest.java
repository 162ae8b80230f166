package io.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Classes and closures defined in Scala statements, used by executors in other JVMs (local-cluster). */
class ScalaOnSeparateExecutorsTest {

    private static ScalaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        Map<String, String> conf = SeparateExecutorsSpark.conf();
        // Otherwise the optimizer evaluates a map over a local Seq on the driver, and no executor sees the class.
        conf.put("spark.sql.optimizer.excludedRules",
                "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation");
        session = new ScalaSession(conf, ScalaInterpreter.DEFAULT_STOP_GRACE);
        SeparateExecutorsSpark.awaitExecutors(session.spark.sparkContext(), Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void tasksRunInOtherJvms() throws Exception {
        String text = session.run("sc.parallelize(1 to 8, 8).map(_ => ProcessHandle.current.pid).collect().toSet"
                + ".contains(ProcessHandle.current.pid)").textPlain();
        assertTrue(text.endsWith("Boolean = false"), text);
    }

    @Test
    void caseClassFromAnEarlierStatementWorksInADatasetJobOnExecutors() throws Exception {
        session.run("case class Person(name: String, age: Int)");
        String text = session.run("Seq(Person(\"a\", 1)).toDS().map(p => p.age + 1).collect()").textPlain();
        assertTrue(text.endsWith("Array[Int] = Array(2)"), text);
        text = session.run("spark.createDataset(sc.parallelize(Seq(Person(\"a\", 1), Person(\"b\", 2)), 2))"
                + ".map(p => p.copy(age = p.age * 10)).collect().toList").textPlain();
        assertTrue(text.endsWith("List(Person(a,10), Person(b,20))"), text);
    }

    @Test
    void closureOverAValFromAnEarlierStatementGivesTheRightAnswerOnExecutors() throws Exception {
        session.run("val factor = 3");
        session.run("def scaled(n: Int) = n * factor");
        String text = session.run("sc.parallelize(1 to 4, 2).map(scaled).collect().sum").textPlain();
        assertTrue(text.endsWith("Int = 30"), text);
        text = session.run("sc.parallelize(1 to 4, 2).map(_ + factor).reduce(_ + _)").textPlain();
        assertTrue(text.endsWith("Int = 22"), text);
        assertFalse(session.run("factor").textPlain().isEmpty());
        assertEquals("ok", session.run("\"ok\"").finished().output().status());
    }
}
