package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.engine.interpreter.Completion;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scala statements through the StatementRunner and the real compiler, against one shared local[2] SparkSession. */
class ScalaStatementsTest {

    private static ScalaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = ScalaSession.local(ScalaInterpreter.DEFAULT_STOP_GRACE);
        long start = System.nanoTime();
        RunRecord first = session.run("1 + 1");
        System.out.printf("first Scala statement (starts the compiler): %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertEquals("val res0: Int = 2", first.textPlain());
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void definitionsPersistAcrossStatements() throws Exception {
        assertEquals("val base: Int = 40", session.run("val base = 40").textPlain());
        session.run("def plus(n: Int): Int = base + n");
        session.run("case class Point(x: Int, y: Int)");
        session.run("import scala.collection.mutable.ListBuffer");
        RunRecord run = session.run("val buf = ListBuffer(plus(2), Point(1, 2).y)\nbuf.sum");
        assertTrue(run.textPlain().endsWith("Int = 44"), run.textPlain());
    }

    @Test
    void resultIsTheReplsEchoOfTheLastValue() throws Exception {
        String text = session.run("val words = Seq(\"a\", \"b\")\nwords.mkString(\"-\")").textPlain();
        assertTrue(text.contains("val words: Seq[String] = List(a, b)"), text);
        assertTrue(text.matches("(?s).*res\\d+: String = a-b"), text);
        assertEquals(0, session.run("println(\"only printed\")").finished().output().data().size(),
                "a Unit statement has no result; printed text is never part of it");
    }

    @Test
    void sparkAndScAreBoundAndJobsRun() throws Exception {
        String text = session.run("spark.range(10).selectExpr(\"sum(id)\").as[Long].head()").textPlain();
        assertTrue(text.endsWith("Long = 45"), text);
        text = session.run("sc.parallelize(1 to 4).map(_ * 2).reduce(_ + _)").textPlain();
        assertTrue(text.endsWith("Int = 20"), text);
    }

    @Test
    void caseClassesAndClosuresOverEarlierValsRunInJobs() throws Exception {
        session.run("case class Person(name: String, age: Int)");
        session.run("val bonus = 10");
        String text = session.run("Seq(Person(\"a\", 1), Person(\"b\", 2)).toDS().map(p => p.age + bonus).collect().toList")
                .textPlain();
        assertTrue(text.endsWith("List[Int] = List(11, 12)"), text);
        text = session.run("sc.parallelize(1 to 3).map(i => Person(\"p\" + i, i * bonus)).collect().map(_.age).sum")
                .textPlain();
        assertTrue(text.endsWith("Int = 60"), text);
    }

    @Test
    void printedTextStreamsBeforeTheStatementFinishes() throws Exception {
        RunRecord run = session.run(
                "println(\"early\")\nSystem.err.println(\"to err\")\nThread.sleep(2000)\nprint(\"late\")");
        assertEquals("early\nlate", run.stdout());
        assertEquals("to err\n", run.stderr());
        CollectingSink.Received first = run.messages().stream()
                .filter(r -> r.message() instanceof ChannelMessage.Output).findFirst().orElseThrow();
        CollectingSink.Received finished = run.messages().get(run.messages().size() - 1);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(finished.nanos() - first.nanos());
        assertTrue(gapMillis > 1_500, "output arrived only " + gapMillis + " ms before the end");
    }

    @Test
    void compileErrorNamesTheLineAndTheProblem() throws Exception {
        RunRecord run = session.run("val fine = 1\nval broken: Int = \"text\"");
        StatementOutput output = run.finished().output();
        assertEquals("available", run.finished().state());
        assertEquals("error", output.status());
        assertEquals("CompileError", output.ename());
        assertTrue(output.evalue().contains("type mismatch"), output.evalue());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains(":2: error: type mismatch"), traceback);
        assertTrue(traceback.contains("val broken: Int = \"text\""), traceback);
        assertFalse(traceback.contains("$line"), traceback);
        assertFalse(traceback.contains("scala.tools.nsc"), traceback);
    }

    @Test
    void runtimeExceptionGivesItsClassMessageAndUserFramesOnly() throws Exception {
        session.run("def divide(a: Int, b: Int) = a / b");
        RunRecord run = session.run("val zero = 0\ndivide(1, zero)");
        StatementOutput output = run.finished().output();
        assertEquals("error", output.status());
        assertEquals("java.lang.ArithmeticException", output.ename());
        assertEquals("/ by zero", output.evalue());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.startsWith("java.lang.ArithmeticException: / by zero\n"), traceback);
        assertTrue(traceback.contains("\tat divide(<console>:1)\n"), traceback);
        assertTrue(traceback.contains("\tat the statement, line 2\n"), traceback);
        assertFalse(traceback.contains("$line"), traceback);
        assertFalse(traceback.contains("io.hearth"), traceback);
        assertFalse(traceback.contains("scala.tools.nsc"), traceback);
        assertEquals("res", session.run("\"res\"").textPlain().replaceAll(".*= ", ""), "the session goes on");
    }

    @Test
    void compilerWarningsGoToStderrAndTheStatementStillRuns() throws Exception {
        RunRecord run = session.run("val warned = {\n  1\n  2\n}");
        assertEquals("val warned: Int = 2", run.textPlain());
        assertTrue(run.stderr().matches("(?s)<cell \\d+>:2: warning: .*pure expression.*"), run.stderr());
        run = session.run("@deprecated(\"use another\", \"1.0\") def retired = 1\nretired");
        assertTrue(run.stderr().matches("(?s)<cell \\d+>:2: warning: .*retired.*deprecated.*use another.*"),
                "deprecations are named, not summed up: " + run.stderr());
    }

    @Test
    void cellWithClassesKeepsMultiLineStatementsWholeAndCountsLinesOfTheCell() throws Exception {
        RunRecord run = session.run("case class Span(from: Int, to: Int)\n"
                + "val spans = Seq(Span(1, 3), Span(2, 5))\n"
                + "  .map(s => s.copy(to = s.to + 1))\n"
                + "  .filter(_.to > 3)\n"
                + "/* a block comment\n"
                + "   between statements */\n"
                + "val longest =\n"
                + "  if (spans.size > 1)\n"
                + "    spans.maxBy(s => s.to - s.from)\n"
                + "  else\n"
                + "    Span(0, 0)\n"
                + "case class Tagged(span: Span); val tagged = Tagged(longest)\n"
                + "val unused = {\n"
                + "  1\n"
                + "  tagged.span.to - tagged.span.from\n"
                + "}\n"
                + "Seq(tagged).toDS().collect().head.span");
        String text = run.textPlain();
        assertTrue(text.startsWith("class Span\nval spans: Seq[Span] = List(Span(1,4), Span(2,6))\n"
                + "val longest: Span = Span(2,6)\nclass Tagged\nval tagged: Tagged = Tagged(Span(2,6))\n"), text);
        assertTrue(text.endsWith("Span = Span(2,6)"), text);
        assertTrue(run.stderr().matches("(?s)<cell \\d+>:14: warning: .*pure expression.*"), run.stderr());
    }

    @Test
    void sealedHierarchyAndMutuallyRecursiveDefinitionsInACellStayOneUnit() throws Exception {
        String text = session.run("sealed trait Shape\n"
                + "case class Circle(r: Double) extends Shape\n"
                + "case class Square(side: Double) extends Shape\n"
                + "def area(s: Shape): Double = s match { case Circle(r) => 3 * r * r; case Square(a) => a * a }\n"
                + "def isEven(n: Int): Boolean = if (n == 0) true else isOdd(n - 1)\n"
                + "def isOdd(n: Int): Boolean = if (n == 0) false else isEven(n - 1)\n"
                + "Seq[Shape](Circle(1), Square(2)).map(area).sum + (if (isEven(4)) 1 else 0)").textPlain();
        assertTrue(text.endsWith("Double = 8.0"), text);
    }

    @Test
    void incompleteStatementIsAFailureSayingSo() throws Exception {
        StatementOutput output = session.run("def open(x: Int) = {\n  x + 1").finished().output();
        assertEquals("Incomplete", output.ename());
        assertTrue(output.evalue().contains("incomplete"), output.evalue());
        assertTrue(session.run("val afterIncomplete = 1").textPlain().endsWith("Int = 1"), "the next one starts afresh");
    }

    @Test
    void trivialStatementIsFast() throws Exception {
        session.run("val warm = 1");
        long start = System.nanoTime();
        int n = 5;
        for (int i = 0; i < n; i++) {
            session.run("warm + " + i);
        }
        long each = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / n;
        System.out.printf("trivial Scala statement: %d ms each%n", each);
        assertTrue(each < 2_000, each + " ms");
    }

    @Test
    void completionComesFromTheCompilerAndKnowsEarlierStatements() throws Exception {
        session.run("val bakeryOrders = Seq(3, 4)");
        Completion names = session.runner.complete("scala", "bakeryOr", 8);
        assertTrue(names.matches().contains("bakeryOrders"), names.toString());
        assertEquals(0, names.cursorStart());
        Completion members = session.runner.complete("spark", "bakeryOrders.su", 15);
        assertTrue(members.matches().contains("sum"), members.toString());
        assertEquals(13, members.cursorStart());
        assertTrue(session.runner.complete("scala", "spark.rea", 9).matches().contains("read"));
        assertEquals("val res0: Int = 7".replace("res0", "res"), session.run("bakeryOrders.sum").textPlain()
                .replaceAll("res\\d+", "res"));
    }
}
