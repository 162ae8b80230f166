package io.hearth.engine.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.StatementTasks;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelling running java statements: sleeps, Spark jobs and busy loops stop, and the session keeps its state. */
class JavaInterruptionTest {

    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private static JavaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new JavaSession("local[2]", STOP_GRACE);
        assertEquals("7", session.run("int kept = 7;\nkept").textPlain());
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void cancelEndsASleepAndTheRestOfTheCellAndKeepsTheSession() throws Exception {
        long id = session.submit(
                "{\n  System.out.println(\"sleeping\");\n  Thread.sleep(60000);\n}\nint after = 1;");
        assertEquals("sleeping\n", session.awaitOutput(id));
        long start = System.nanoTime();
        session.runner.cancel(id);
        JavaSession.Run run = session.await(id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("cancel of Thread.sleep: %d ms%n", millis);
        assertEquals("cancelled", run.finished().state());
        assertEquals("java.lang.InterruptedException", run.output().ename(), run.output().toString());
        assertTrue(millis < 5_000, "took " + millis + " ms");
        assertEquals("7", session.run("kept").textPlain());
        assertEquals(SnippetFailures.COMPILATION_ERROR, session.run("after").output().ename(),
                "the snippet after the cancelled one never ran");
    }

    @Test
    void cancelStopsTheStatementsSparkJobWithinTwoSeconds() throws Exception {
        long id = session.submit("jsc.parallelize(List.of(1, 2), 2)"
                + ".map(x -> { Thread.sleep(60000); return x; }).collect()");
        StatementTasks tasks = new StatementTasks(session.spark.sparkContext(), id);
        tasks.awaitRunning(2, Duration.ofSeconds(30));
        long start = System.nanoTime();
        session.runner.cancel(id);
        JavaSession.Run run = session.await(id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("cancel of a Spark job: %d ms%n", millis);
        assertEquals("cancelled", run.finished().state(), run.output().toString());
        assertTrue(millis < 2_000, "took " + millis + " ms");
        tasks.awaitStopped(Duration.ofSeconds(5));
        long next = System.nanoTime();
        assertEquals("3", session.run("jsc.parallelize(List.of(1, 2, 3), 2).count()").textPlain());
        long nextMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next);
        assertTrue(nextMillis < 10_000, "the cancelled tasks held the executor: the next job took " + nextMillis);
        assertEquals("7", session.run("kept").textPlain());
    }

    @Test
    void loopIgnoringInterruptsIsStoppedAfterTheGrace() throws Exception {
        long id = session.submit("long spins = 0;\n{\n  System.out.println(\"spinning\");\n"
                + "  while (spins >= 0) { spins++; Thread.interrupted(); }\n}");
        assertEquals("spinning\n", session.awaitOutput(id));
        long start = System.nanoTime();
        session.runner.cancel(id);
        JavaSession.Run run = session.await(id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("cancel of a busy loop (grace %d ms): %d ms%n", STOP_GRACE.toMillis(), millis);
        StatementOutput out = run.output();
        assertEquals("cancelled", run.finished().state(), out.toString());
        assertTrue(millis < STOP_GRACE.toMillis() + 4_000, "took " + millis + " ms");
        assertEquals("true", session.run("spins > 0").textPlain());
    }

    @Test
    void cancelBetweenSnippetsSkipsTheRest() throws Exception {
        long id = session.submit("System.out.println(\"first\");\nThread.sleep(1500);\nint skipped = 1;");
        assertEquals("first\n", session.awaitOutput(id));
        session.runner.cancel(id);
        JavaSession.Run run = session.await(id);
        assertEquals("cancelled", run.finished().state());
        assertEquals(SnippetFailures.COMPILATION_ERROR, session.run("skipped").output().ename());
    }
}
