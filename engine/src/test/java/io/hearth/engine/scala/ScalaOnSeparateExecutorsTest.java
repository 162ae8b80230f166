package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.RunRecord;
import io.hearth.engine.SeparateExecutorsSpark;
import io.hearth.protocol.ChannelMessage.StatementOutput;
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

    // One cell each from here on: what a notebook user writes, with classes its own code uses at once.

    @Test
    void caseClassDefinedAndUsedInOneCellRunsDatasetJobsOnExecutors() throws Exception {
        String text = ok(session.run("case class Pet(name: String, age: Int)\n"
                + "Seq(Pet(\"a\", 1), Pet(\"b\", 2)).toDS().collect()"));
        assertTrue(text.endsWith("Array[Pet] = Array(Pet(a,1), Pet(b,2))"), text);
        text = ok(session.run("case class Visit(pet: String, minutes: Int)\n"
                + "spark.createDataset(sc.parallelize(Seq(Visit(\"a\", 10), Visit(\"b\", 20)), 2))\n"
                + "  .map(v => v.copy(minutes = v.minutes * 2))\n"
                + "  .collect().toList"));
        assertTrue(text.endsWith("List[Visit] = List(Visit(a,20), Visit(b,40))"), text);
    }

    @Test
    void implicitClassAndImplicitValWorkInTheCellThatDefinesThem() throws Exception {
        String text = ok(session.run("case class Reading(sensor: String, celsius: Double)\n"
                + "implicit class Fahrenheit(r: Reading) { def fahrenheit: Double = r.celsius * 9 / 5 + 32 }\n"
                + "implicit val coldestFirst: Ordering[Reading] = Ordering.by(_.celsius)\n"
                + "val readings = Seq(Reading(\"a\", 100), Reading(\"b\", 0)).toDS()\n"
                + "readings.map(_.fahrenheit).collect().toList ++ readings.collect().sorted.map(_.fahrenheit)"));
        assertTrue(text.endsWith("List[Double] = List(212.0, 32.0, 32.0, 212.0)"), text);
    }

    @Test
    void importOfSparkImplicitsIsUsableInItsOwnCell() throws Exception {
        String text = ok(session.run("import spark.implicits._\n"
                + "case class Sale(item: String, amount: Int)\n"
                + "val sales = Seq(Sale(\"tea\", 3), Sale(\"cake\", 5)).toDF()\n"
                + "sales.as[Sale].map(s => s.amount * 2).collect().sum"));
        assertTrue(text.endsWith("Int = 16"), text);
    }

    @Test
    void caseClassAndItsCompanionObjectInOneCellStayCompanions() throws Exception {
        String text = ok(session.run("case class Money(cents: Long)\n"
                + "object Money {\n"
                + "  def euros(e: Int): Money = Money(e * 100L)\n"
                + "  implicit val byCents: Ordering[Money] = Ordering.by(_.cents)\n"
                + "}\n"
                + "spark.createDataset(Seq(Money.euros(2), Money.euros(1))).map(m => Money(m.cents + 1))"
                + ".collect().sorted.toList"));
        assertTrue(text.endsWith("List[Money] = List(Money(101), Money(201))"), text);
    }

    @Test
    void plainClassDefinedAndUsedInOneCellRunsInRddMapsOnExecutors() throws Exception {
        String text = ok(session.run("class Scaler(val factor: Int) extends Serializable {\n"
                + "  def apply(n: Int): Int = n * factor\n"
                + "}\n"
                + "class Tagged(val pid: Long, val n: Int) extends Serializable\n"
                + "val triple = new Scaler(3)\n"
                + "val tagged = sc.parallelize(1 to 4, 4).map(n => new Tagged(ProcessHandle.current.pid, triple(n)))"
                + ".collect()\n"
                + "(tagged.map(_.n).sum, tagged.exists(_.pid == ProcessHandle.current.pid))"));
        assertTrue(text.endsWith("(Int, Boolean) = (30,false)"), text);
    }

    @Test
    void resultOfACellWithClassesIsItsDefinitionsAndItsLastExpressionOnly() throws Exception {
        // As when the cell was one REPL line: what it defines, then the value of its last expression, and no echo
        // of an expression in the middle.
        RunRecord run = session.run("case class Item(name: String)\n"
                + "Seq(Item(\"unused\")).toDS().collect()\n"
                + "val items = Seq(Item(\"x\"), Item(\"y\")).toDS()\n"
                + "items.collect().map(_.name).mkString(\"+\")");
        String text = ok(run).replaceAll("res\\d+", "resN");
        assertEquals("class Item\nval items: org.apache.spark.sql.Dataset[Item] = [name: string]\n"
                + "val resN: String = x+y", text);
    }

    @Test
    void errorOnTheThirdLineOfACellWithClassesReportsLineThree() throws Exception {
        StatementOutput output = session.run("case class Share(owner: String, parts: Int)\n"
                + "val parts = Seq(Share(\"a\", 3)).toDS().map(_.parts).collect()\n"
                + "val each = 12 / (parts.head - 3)").finished().output();
        assertEquals("java.lang.ArithmeticException", output.ename(), output.toString());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains("\tat the statement, line 3\n"), traceback);

        output = session.run("case class Bill(total: Int)\n"
                + "val bills = Seq(Bill(3)).toDS().collect()\n"
                + "val wrong: String = bills.head.total").finished().output();
        assertEquals("CompileError", output.ename(), output.toString());
        traceback = String.join("", output.traceback());
        assertTrue(traceback.matches("(?s)<cell \\d+>:3: error: type mismatch.*"), traceback);
        assertTrue(traceback.contains("val wrong: String = bills.head.total\n"), traceback);
    }

    /** The text/plain result of a statement that must have succeeded; its error otherwise. */
    private static String ok(RunRecord run) {
        assertEquals("ok", run.finished().output().status(), run.finished().output().toString());
        return run.textPlain();
    }
}
