package io.hearth.engine.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** java statements through the StatementRunner and JShell, against one shared local[2] SparkSession. */
class JavaStatementsTest {

    private static JavaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new JavaSession();
        long start = System.nanoTime();
        assertEquals("2", session.run("1 + 1").textPlain());
        System.out.printf("first Java statement (JShell start included): %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void declarationsPersistAcrossStatements() throws Exception {
        assertNull(session.run("int persisted = 20;").textPlain());
        assertNull(session.run("int plus(int a, int b) { return a + b; }").textPlain());
        assertEquals("42", session.run("plus(persisted, 22)").textPlain());
    }

    @Test
    void lastExpressionOfAMultiSnippetCellIsTheResult() throws Exception {
        JavaSession.Run run = session.run("int x = 2;\nString s = \"ab\" +\n  \"c\";\nx * 21");
        assertEquals("available", run.finished().state());
        assertEquals("42", run.textPlain());
        assertEquals("\"abc\"", session.run("s").textPlain());
        assertNull(session.run("x = 5;").textPlain(), "an assignment is not a result");
        assertNull(session.run("System.out.println(\"no value\")").textPlain(), "a void call has no value");
    }

    @Test
    void sparkAndJscArePredefined() throws Exception {
        assertEquals("5", session.run("spark.range(5).count()").textPlain());
        assertEquals("[2, 4, 6]", session.run("jsc.parallelize(List.of(1, 2, 3)).map(x -> x * 2).collect()")
                .textPlain());
    }

    @Test
    void printedOutputStreamsBeforeTheStatementEnds() throws Exception {
        JavaSession.Run run = session.run(
                "System.out.print(\"early\");\nSystem.err.println(\"warn\");\nThread.sleep(2000);\n\"done\"");
        assertEquals("early", run.stdout());
        assertEquals("warn\n", run.stderr());
        assertEquals("\"done\"", run.textPlain());
        JavaSession.Received first = run.messages().stream()
                .filter(r -> r.message() instanceof ChannelMessage.Output).findFirst().orElseThrow();
        JavaSession.Received last = run.messages().get(run.messages().size() - 1);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(last.nanos() - first.nanos());
        assertTrue(gapMillis > 1_500, "output arrived only " + gapMillis + " ms before the end");
    }

    @Test
    void compileErrorNamesTheCellLineAndStopsTheCell() throws Exception {
        StatementOutput out = session.run("int fine = 1;\nint broken = \"text\";\nint never = 2;").output();
        assertEquals("error", out.status());
        assertEquals(SnippetFailures.COMPILATION_ERROR, out.ename());
        assertTrue(out.evalue().startsWith("line 2: incompatible types"), out.evalue());
        assertTrue(String.join("\n", out.traceback()).contains("int broken = \"text\";"), out.traceback().toString());
        assertEquals("1", session.run("fine").textPlain(), "snippets before the error ran");
        assertEquals(SnippetFailures.COMPILATION_ERROR, session.run("never").output().ename(),
                "snippets after the error did not run");
    }

    @Test
    void runtimeExceptionGivesTheUsersClassMessageAndSnippetFramesOnly() throws Exception {
        session.run("int divide(int n, int d) {\n  return n / d;\n}");
        StatementOutput out = session.run("int zero = 0;\ndivide(1, zero)").output();
        assertEquals("error", out.status());
        assertEquals("java.lang.ArithmeticException", out.ename());
        assertEquals("/ by zero", out.evalue());
        String trace = String.join("\n", out.traceback());
        assertTrue(trace.contains("at divide (snippet #"), trace);
        assertTrue(trace.contains("at <statement> (line 2)"), trace);
        assertFalse(trace.contains("jdk.") || trace.contains("io.hearth") || trace.contains("REPL."), trace);

        StatementOutput thrown = session.run("class Checker {\n  void check() {\n    throw new IllegalStateException(\"mine\");\n  }\n}\n\nnew Checker().check();").output();
        assertEquals("java.lang.IllegalStateException", thrown.ename());
        assertEquals("mine", thrown.evalue());
        String checkerTrace = String.join("\n", thrown.traceback());
        assertTrue(checkerTrace.contains("at Checker.check (line 3)") && checkerTrace.contains("at <statement> (line 7)"),
                checkerTrace);
    }

    @Test
    void callingAMethodWhoseDependencyIsMissingSaysWhatIsMissing() throws Exception {
        assertNull(session.run("int usesMissing() { return missingThing(); }").textPlain());
        StatementOutput out = session.run("usesMissing()").output();
        assertEquals(SnippetFailures.UNRESOLVED_REFERENCE, out.ename());
        assertTrue(out.evalue().contains("usesMissing") && out.evalue().contains("missingThing"), out.evalue());
    }

    @Test
    void emptyAndUnfinishedCells() throws Exception {
        assertNull(session.run("  \n// only a comment\n").textPlain());
        StatementOutput unfinished = session.run("int done = 1;\nint half = (2 +").output();
        assertEquals(SnippetFailures.COMPILATION_ERROR, unfinished.ename());
        assertTrue(unfinished.evalue().startsWith("line 2: "), unfinished.evalue());
        assertEquals("1", session.run("done").textPlain());
    }

    @Test
    void stoppingTheSharedSessionOrTheJvmIsRefused() throws Exception {
        for (String code : new String[] {"spark.stop();", "jsc.close();", "void quit() { System.exit(3); }\nquit();"}) {
            StatementOutput out = session.run(code).output();
            assertEquals(SnippetExecutionControl.SESSION_STOP_ERROR, out.ename(), code + " gave " + out);
        }
        assertEquals("3", session.run("spark.range(3).count()").textPlain());
    }

    @Test
    void lambdaCapturingALocalRunsOnExecutors() throws Exception {
        assertEquals("[3, 6, 9]", session.run(
                "List<Integer> scaled;\n{\n  int factor = 3;\n  scaled = jsc.parallelize(List.of(1, 2, 3), 2)"
                        + ".map(x -> x * factor).collect();\n}\nscaled").textPlain());
        session.run("List<Integer> times(List<Integer> xs, int f) {\n"
                + "  return jsc.parallelize(xs, 2).map(x -> x * f).collect();\n}");
        assertEquals("[4, 8]", session.run("times(List.of(1, 2), 4)").textPlain());
    }

    @Test
    void classDefinedInACellRunsOnExecutors() throws Exception {
        session.run("record Box(int v) implements java.io.Serializable {\n  int doubled() { return v * 2; }\n}");
        assertEquals("[2, 4, 6]", session.run(
                "jsc.parallelize(List.of(1, 2, 3), 2).map(x -> new Box(x).doubled()).collect()").textPlain());
        assertEquals("Box[v=2]", session.run("jsc.parallelize(List.of(1, 2), 2).map(x -> new Box(x)).collect().get(1)")
                .textPlain(), "objects of cell classes come back to the driver");
    }

    @Test
    void aSparkLambdaCapturesTheTopLevelVariablesItReadsAndWhatCannotBeCapturedIsRefused() throws Exception {
        session.run("int k = 3;");
        assertEquals("[3, 6, 9]", session.run("jsc.parallelize(List.of(1, 2, 3)).map(x -> x * k).collect()")
                .textPlain(), "read by the lambda itself: captured");
        session.run("List<Integer> mapTimesK(List<Integer> xs) {\n"
                + "  return jsc.parallelize(xs).map(x -> x * k).collect();\n}");
        assertEquals("[3, 6]", session.run("mapTimesK(List.of(1, 2))").textPlain(), "a lambda inside a cell method");

        session.run("int timesK(int x) { return x * k; }");
        StatementOutput viaMethod = session.run(
                "jsc.parallelize(List.of(1, 2)).map(x -> timesK(x)).collect()").output();
        assertEquals(SnippetExecutionControl.TOP_LEVEL_VARIABLE_ERROR, viaMethod.ename(), viaMethod.toString());
        assertTrue(viaMethod.evalue().contains("'k'") && viaMethod.evalue().contains("kLocal = k"), viaMethod.evalue());

        StatementOutput viaClass = session.run("class TimesK implements Function<Integer, Integer> {\n"
                + "  public Integer call(Integer x) { return x * k; }\n}\n"
                + "jsc.parallelize(List.of(1, 2)).map(new TimesK()).collect()").output();
        assertEquals(SnippetExecutionControl.TOP_LEVEL_VARIABLE_ERROR, viaClass.ename(), viaClass.toString());

        StatementOutput writes = session.run("jsc.parallelize(List.of(1, 2)).map(x -> k = x).collect()").output();
        assertEquals(SnippetExecutionControl.TOP_LEVEL_VARIABLE_ERROR, writes.ename(), "a write is never captured");

        assertEquals("[3, 6, 9]", session.run("{ int kLocal = k;\n"
                + "  System.out.print(jsc.parallelize(List.of(1, 2, 3)).map(x -> x * kLocal).collect()); }")
                .stdout(), "the suggested fix for what is refused works");
        assertEquals("[3, 6]", session.run("List.of(1, 2).stream().map(x -> x * k).collect(Collectors.toList())")
                .textPlain(), "driver-side lambdas may use top-level variables");
    }

    @Test
    void completionAndDocumentationComeFromJShell() throws Exception {
        session.run("String bakeryName = \"Hearth\";");
        Completion names = session.runner.complete("java", "int n = bakeryNa", 16);
        assertTrue(names.matches().contains("bakeryName"), names.toString());
        assertEquals(8, names.cursorStart());

        Completion methods = session.runner.complete("java", "x();\nspark.rea", 14);
        assertTrue(methods.matches().stream().anyMatch(m -> m.startsWith("read")), methods.toString());
        assertEquals(11, methods.cursorStart());

        Documentation doc = session.runner.inspect("java", "bakeryName.substring(", 21, 0);
        assertTrue(doc.found());
        assertTrue(doc.data().get("text/plain").getAsString().contains("substring(int"), doc.toString());
    }

    @Test
    void documentationIsOfTheNameUnderTheCursorWithOrWithoutItsParenthesis() throws Exception {
        session.run("String loaf = \"rye\";");
        // Cursor after the name, inside it, and after the parenthesis of a call: each shows substring's signatures.
        for (int cursor : new int[] {14, 8, 15}) {
            Documentation doc = session.runner.inspect("java", "loaf.substring(1)", cursor, 0);
            assertTrue(doc.found(), "cursor " + cursor);
            assertTrue(doc.data().get("text/plain").getAsString().contains("substring(int"), doc.toString());
        }
        Documentation method = session.runner.inspect("java", "spark.range", 11, 0);
        assertTrue(method.found() && method.data().get("text/plain").getAsString().contains("range(long"),
                method.toString());
        assertTrue(session.runner.inspect("java", "loaf", 2, 0).found(), "a variable");
        assertTrue(!session.runner.inspect("java", "noSuchName", 10, 0).found());
    }
}
