package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.run.StatementRunner;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pyspark statements through the StatementRunner and the real Python, against one shared local SparkSession. */
class PythonStatementsTest {

    private static final int MIB = 1024 * 1024;

    private static PythonSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new PythonSession();
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void variablesPersistAcrossStatements() throws Exception {
        assertEquals(0, session.run("persisted = [1, 2]").finished().output().data().size());
        assertEquals("[1, 2, 3]", session.run("persisted.append(3)\npersisted").textPlain());
    }

    @Test
    void aRehearsalRunsItsJobsAndLeavesNothingInTheSessionsNamespace() throws Exception {
        session.run("kept = 'mine'\nkept");
        io.hearth.engine.interpreter.Outcome rehearsed = session.python.rehearse(
                "rehearsed = spark.range(100).filter('id % 3 = 0').count()\nrehearsed");
        assertEquals("34", assertInstanceOf(io.hearth.engine.interpreter.Outcome.Result.class, rehearsed).data()
                .get("text/plain").getAsString(), "its job ran");
        assertEquals("(False, 'mine')", session.run("'rehearsed' in globals(), _").textPlain(),
                "neither its variable nor its value as _");
    }

    @Test
    void lastExpressionIsTheResult() throws Exception {
        RunRecord run = session.run("x = 2\nx * 21");
        assertEquals("available", run.finished().state());
        assertEquals("ok", run.finished().output().status());
        assertEquals("42", run.textPlain());
    }

    @Test
    void statementWithoutValueHasEmptyData() throws Exception {
        assertEquals(0, session.run("y = 1").finished().output().data().size());
        assertEquals(0, session.run("None").finished().output().data().size());
        RunRecord printed = session.run("print('only printed')");
        assertEquals(0, printed.finished().output().data().size(), "printed text is never part of the result");
        assertEquals("only printed\n", printed.stdout());
    }

    @Test
    void printedOutputArrivesAsOutputMessagesBeforeTheStatementFinishes() throws Exception {
        RunRecord run = session.run("import sys\nprint('to out')\nprint('to err', file=sys.stderr)\n'value'");
        assertEquals("to out\n", run.stdout());
        assertEquals("to err\n", run.stderr());
        assertEquals("'value'", run.textPlain());
        List<CollectingSink.Received> messages = run.messages();
        assertInstanceOf(ChannelMessage.StatementStarted.class, messages.get(0).message());
        for (int i = 1; i < messages.size() - 1; i++) {
            assertInstanceOf(ChannelMessage.Output.class, messages.get(i).message());
        }
    }

    @Test
    void printBeforeASleepIsDeliveredWellBeforeTheStatementFinishes() throws Exception {
        RunRecord run = session.run("import time\nprint('early', flush=False)\ntime.sleep(3)\n'done'");
        CollectingSink.Received output = run.messages().stream()
                .filter(r -> r.message() instanceof ChannelMessage.Output).findFirst().orElseThrow();
        CollectingSink.Received finished = run.messages().get(run.messages().size() - 1);
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(finished.nanos() - output.nanos());
        assertEquals("early\n", ((ChannelMessage.Output) output.message()).text());
        assertTrue(gapMillis > 2_500, "output arrived only " + gapMillis + " ms before the end");
    }

    @Test
    void failingStatementGivesTheUsersTracebackAndTheSessionGoesOn() throws Exception {
        session.run("kept = 'still here'");
        RunRecord run = session.run("def inner(d):\n    return d['missing']\n\nvalue = inner({})");
        StatementOutput output = run.finished().output();
        assertEquals("available", run.finished().state());
        assertEquals("error", output.status());
        assertEquals("KeyError", output.ename());
        assertEquals("'missing'", output.evalue());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.startsWith("Traceback (most recent call last):"), traceback);
        assertTrue(traceback.contains("value = inner({})"), traceback);
        assertTrue(traceback.contains("return d['missing']"), traceback);
        assertTrue(traceback.contains("line 2, in inner"), traceback);
        assertFalse(traceback.contains("hearth_python"), "Hearth's own frames leak: " + traceback);
        assertTrue(traceback.endsWith("KeyError: 'missing'\n"), traceback);

        assertEquals("'still here'", session.run("kept").textPlain());
    }

    @Test
    void errorRaisedInsidePysparkShowsOnlyTheCellsFrames() throws Exception {
        StatementOutput output = session.run("df = spark.range(3)\ndf.select('nope').collect()").finished().output();
        assertEquals("AnalysisException", output.ename());
        assertTrue(output.evalue().contains("nope"), output.evalue());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains("File \"<cell "), traceback);
        assertTrue(traceback.contains("df.select('nope').collect()"), traceback);
        assertFalse(traceback.contains("site-packages"), traceback);
        assertFalse(traceback.contains("hearth_python"), traceback);
    }

    @Test
    void syntaxErrorIsAnErrorWithTheOffendingLine() throws Exception {
        StatementOutput output = session.run("ok = 1\nx = = 2").finished().output();
        assertEquals("SyntaxError", output.ename());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains("x = = 2"), traceback);
        assertTrue(traceback.contains("line 2"), traceback);
        assertFalse(traceback.contains("hearth_python"), traceback);
        // nothing of a statement that does not compile runs
        assertEquals("error", session.run("ok").finished().output().status());
    }

    @Test
    void rddJobFromPythonReturnsItsResult() throws Exception {
        assertEquals("9900", session.run("sc.parallelize(range(100)).map(lambda x: x*2).sum()").textPlain());
    }

    @Test
    void dataFrameFromPythonReturnsItsResult() throws Exception {
        assertEquals("10", session.run("spark.range(10).count()").textPlain());
    }

    @Test
    void functionsAndClassesDefinedInCellsShipToExecutors() throws Exception {
        session.run("class Box:\n    def __init__(self, v):\n        self.v = v\n\ndef triple(x):\n    return Box(x * 3)");
        assertEquals("[0, 3, 6]", session.run("[b.v for b in sc.parallelize(range(3)).map(triple).collect()]")
                .textPlain());
    }

    @Test
    void builderGetOrCreateReturnsTheSessionsSparkSession() throws Exception {
        assertEquals("True", session.run("from pyspark.sql import SparkSession\n"
                + "SparkSession.builder.getOrCreate() is spark").textPlain());
    }

    @Test
    void stoppingTheSharedContextIsRefusedAndSparkStillWorks() throws Exception {
        for (String stop : List.of("sc.stop()", "spark.stop()")) {
            StatementOutput output = session.run(stop).finished().output();
            assertEquals("error", output.status());
            assertEquals("SharedSparkContextError", output.ename());
            assertTrue(output.evalue().contains("cannot be stopped from a statement"), output.evalue());
            assertFalse(String.join("", output.traceback()).contains("hearth_python"), output.traceback().toString());
        }
        assertFalse(session.spark.sparkContext().isStopped());
        assertEquals("6", session.run("sc.parallelize([1, 2, 3]).sum()").textPlain());
    }

    @Test
    void valueWithHtmlReprAlsoGivesTextHtml() throws Exception {
        RunRecord run = session.run("class Pretty:\n    def __repr__(self):\n        return 'Pretty()'\n"
                + "    def _repr_html_(self):\n        return '<b>pretty</b>'\nPretty()");
        assertEquals("Pretty()", run.textPlain());
        assertEquals("<b>pretty</b>", run.finished().output().data().get("text/html").getAsString());
    }

    @Test
    void executionCountIncrementsPerStatement() throws Exception {
        int first = session.run("1").finished().output().executionCount();
        int second = session.run("this_fails_with_a_name_error").finished().output().executionCount();
        int third = session.run("3").finished().output().executionCount();
        assertEquals(first + 1, second);
        assertEquals(second + 1, third);
    }

    @Test
    void statementsRunInOrderOneAtATime() throws Exception {
        session.run("order = []");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(session.submit("import time\ntime.sleep(0.05)\norder.append(" + i + ")"));
        }
        for (long id : ids) {
            session.await(id);
        }
        assertEquals("[0, 1, 2, 3, 4]", session.run("order").textPlain());
    }

    @Test
    void nullKindRunsAsPyspark() throws Exception {
        assertEquals("2", session.await(session.submit(null, "1+1")).textPlain());
        assertEquals("3", session.await(session.submit("python", "1+2")).textPlain());
    }

    @Test
    void unknownKindFailsNamingTheSupportedKinds() throws Exception {
        RunRecord run = session.await(session.submit("sparkr", "1"));
        StatementOutput output = run.finished().output();
        assertEquals("error", output.status());
        assertTrue(output.evalue().contains("'sparkr'"), output.evalue());
        assertTrue(output.evalue().endsWith("supported kinds: pyspark (python), sql"), output.evalue());
    }

    @Test
    void exitEndsTheStatementWithAClearMessageNotTheInterpreter() throws Exception {
        session.run("survivor = 'yes'");
        StatementOutput exited = session.run("import sys\nsys.exit(3)").finished().output();
        assertEquals("SystemExit", exited.ename());
        assertTrue(exited.evalue().contains("with code 3") && exited.evalue().contains("keeps running"),
                exited.evalue());
        assertTrue(String.join("", exited.traceback()).endsWith("SystemExit: " + exited.evalue() + "\n"));
        assertEquals("SystemExit", session.run("exit()").finished().output().ename());
        assertEquals("'yes'", session.run("survivor").textPlain());
        assertEquals("''", session.run("input() if False else sys.stdin.read()").textPlain(),
                "exit() leaves stdin usable");
    }

    @Test
    void bigOutputArrivesWholeInChunks() throws Exception {
        RunRecord run = session.run("print('x' * 200000)");
        assertEquals("x".repeat(200000) + "\n", run.stdout());
        long outputs = run.messages().stream().filter(r -> r.message() instanceof ChannelMessage.Output).count();
        assertTrue(outputs >= 200000 / StatementRunner.MAX_OUTPUT_CHARS, "only " + outputs + " Output messages");
        run.messages().stream().map(CollectingSink.Received::message)
                .filter(m -> m instanceof ChannelMessage.Output)
                .forEach(m -> assertTrue(((ChannelMessage.Output) m).text().length() <= StatementRunner.MAX_OUTPUT_CHARS));
    }

    @Test
    void outputOverTheLimitEndsTheStatementWithAnErrorSayingHowLargeItWasAndWhichSettingRaisesIt() throws Exception {
        session.limitOutputTo(MIB);
        try {
            RunRecord run = session.run("for i in range(100000):\n    print('line %06d ' % i + 'x' * 20)\n'done'");
            StatementOutput output = run.finished().output();
            assertEquals("error", output.status());
            assertEquals("OutputTooLarge", output.ename());
            // 100,000 lines of 33 bytes, then the result's 23 bytes of JSON ({"text/plain":"'done'"}).
            assertTrue(output.evalue().startsWith("The statement returned 3,300,023 bytes (3.1 MiB) of output"),
                    output.evalue());
            assertTrue(output.evalue().contains("more than the 1,048,576 bytes (1 MiB) one statement may return"),
                    output.evalue());
            assertTrue(output.evalue().contains("hearth.statement.max-output (environment variable"
                    + " HEARTH_STATEMENT_MAX_OUTPUT)"), output.evalue());
            StringBuilder printed = new StringBuilder();
            for (int i = 0; printed.length() < MIB; i++) {
                printed.append(String.format("line %06d %s%n", i, "x".repeat(20)));
            }
            assertEquals(printed.substring(0, MIB), run.stdout(), "the first 1 MiB arrived whole, nothing after");
            assertTrue(run.stderr().contains("[output cut after 1,048,576 bytes (1 MiB): the statement's output"
                    + " exceeded the limit of 1,048,576 bytes (1 MiB) per statement (hearth.statement.max-output)]"),
                    run.stderr());
        } finally {
            session.limitOutputTo(Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
        }
        assertEquals("'still fine'", session.run("'still fine'").textPlain());
    }

    @Test
    void outputUpToTheLimitArrivesByteExactAndOneByteMoreIsAnError() throws Exception {
        session.limitOutputTo(MIB);
        try {
            // 1, 2, 3 and 4 UTF-8 bytes per character; with the empty result's 2 bytes ({}) exactly the limit.
            String unit = "a\u00e9\u20ac\ud83c\udf5e";
            int units = (MIB - 2) / 10;
            int pad = MIB - 2 - units * 10;
            RunRecord atLimit = session.run("import sys\n_ = sys.stdout.write('" + unit + "' * " + units
                    + " + 'z' * " + pad + ")");
            assertEquals("ok", atLimit.finished().output().status(), String.valueOf(atLimit.finished().output()));
            assertEquals(unit.repeat(units) + "z".repeat(pad), atLimit.stdout());
            assertEquals("", atLimit.stderr());

            RunRecord over = session.run("_ = sys.stdout.write('" + unit + "' * " + units + " + 'z' * "
                    + (pad + 1) + ")");
            assertEquals("OutputTooLarge", over.finished().output().ename());
            assertTrue(over.finished().output().evalue().startsWith("The statement returned 1,048,577 bytes"),
                    over.finished().output().evalue());
        } finally {
            session.limitOutputTo(Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
        }
    }

    @Test
    void aResultOverTheLimitIsAnErrorNotACutValue() throws Exception {
        session.limitOutputTo(MIB);
        try {
            RunRecord run = session.run("rows = spark.range(150000).collect()\nrows");
            StatementOutput output = run.finished().output();
            assertEquals("OutputTooLarge", output.ename(), String.valueOf(output));
            // "[Row(id=0), ..., Row(id=149999)]": about 2.4 million characters, more than the 1 MiB limit alone.
            assertTrue(output.evalue().startsWith("The statement returned 2,"), output.evalue());
            assertEquals("", run.stdout());
            assertEquals("150000", session.run("len(rows)").textPlain());
        } finally {
            session.limitOutputTo(Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
        }
    }

    @Test
    void aSqlResultOrAShownValueOverTheLimitIsAnErrorToo() throws Exception {
        session.limitOutputTo(MIB);
        try {
            assertEquals("ok", session.await(session.submit("sql", "SET hearth.sql.maxRows=100000")).finished()
                    .output().status());
            StatementOutput sql = session.await(session.submit("sql",
                    "SELECT id, concat('loaf-', id) AS name FROM range(100000)")).finished().output();
            assertEquals("OutputTooLarge", sql.ename(), String.valueOf(sql));

            RunRecord shown = session.run("display('x' * 2000000)\nprint('after')");
            assertEquals("OutputTooLarge", shown.finished().output().ename());
            assertTrue(shown.messages().stream().noneMatch(r -> r.message() instanceof ChannelMessage.Display),
                    "the value was not sent");
            assertEquals("", shown.stdout(), "nothing after the dropped value either");
        } finally {
            session.await(session.submit("sql", "SET hearth.sql.maxRows=1000"));
            session.limitOutputTo(Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
        }
    }

    @Test
    void anErrorWithAHugeMessageKeepsItsNameAndIsCutToFitWithAMarker() throws Exception {
        session.limitOutputTo(MIB);
        try {
            StatementOutput output = session.run("raise ValueError('v' * 3000000)").finished().output();
            assertEquals("ValueError", output.ename());
            assertTrue(output.evalue().length() < MIB / 16, "length " + output.evalue().length());
            assertTrue(output.evalue().startsWith("vvvv") && output.evalue().contains("[cut: the error's text has"),
                    output.evalue().substring(output.evalue().length() - 80));
        } finally {
            session.limitOutputTo(Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
        }
    }

    @Test
    void bytesWrittenToTheStdoutBufferArriveAsText() throws Exception {
        assertEquals("bytes \u00e9\n", session.run("import sys\nsys.stdout.buffer.write('bytes \u00e9\\n'.encode())\nNone")
                .stdout());
    }

    @Test
    void manySmallPrintsArriveInOrder() throws Exception {
        RunRecord run = session.run("for i in range(20000):\n    print(i)");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            expected.append(i).append('\n');
        }
        assertEquals(expected.toString(), run.stdout());
    }

    @Test
    void aStatementsJvmCallsCarryItsJobTagAndNoEarlierStatements() throws Exception {
        for (int i = 0; i < 2; i++) {
            RunRecord run = session.run("sorted(sc.getJobTags())");
            assertEquals("['" + StatementJobs.tagFor(run.finished().statementId()) + "']", run.textPlain());
        }
    }

    @Test
    void trivialStatementTakesMilliseconds() throws Exception {
        session.run("1+1");
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            assertEquals("2", session.run("1+1").textPlain());
            micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
        }
        micros.sort(null);
        long median = micros.get(micros.size() / 2);
        System.out.println("1+1 through the runner: median " + median + " us, max " + micros.get(micros.size() - 1)
                + " us over " + micros.size() + " runs");
        assertTrue(median < 200_000, "median " + median + " us");
    }

}
