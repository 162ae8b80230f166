package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.engine.RunRecord;
import io.hearth.engine.StatementTasks;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementFinished;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelling running Scala statements: blocking calls, loops, Spark jobs; the session goes on with its state. */
class ScalaCancelTest {

    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private static ScalaSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = ScalaSession.local(STOP_GRACE);
        assertEquals("val keptThroughCancels: Int = 41", session.run("val keptThroughCancels = 41").textPlain());
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void cancelOfASleepInterruptsItAtOnce() throws Exception {
        StatementFinished finished = cancelOnceStarted("Thread.sleep(60000)", Duration.ofSeconds(1));
        assertEquals("java.lang.InterruptedException", finished.output().ename());
        assertSessionStillWorks();
    }

    @Test
    void cancelArrivingWhileTheStatementCompilesOrStartsStillStopsIt() throws Exception {
        for (int delayMillis : new int[] {0, 20, 60, 120}) {
            long id = session.submit("Thread.sleep(60000)");
            Thread.sleep(delayMillis);
            long start = System.nanoTime();
            session.runner.cancel(id);
            StatementFinished finished = session.await(id).finished();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("cancelled", finished.state(), finished.toString());
            assertTrue(millis < 2_000, "cancel after " + delayMillis + " ms took " + millis + " ms");
        }
        assertSessionStillWorks();
    }

    @Test
    void cancelOfALoopThatChecksForInterruptsEndsItAtOnce() throws Exception {
        long id = session.submit("println(\"started\")\nwhile (!Thread.currentThread.isInterrupted) {}\n\"left the loop\"");
        session.sink.await(id, ChannelMessage.Output.class, ScalaSession.STATEMENT_TIMEOUT);
        long start = System.nanoTime();
        session.runner.cancel(id);
        RunRecord run = session.await(id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 1_000, "cancel took " + millis + " ms");
        // The code ended normally, so the statement completed: the runner reports it with its result, as for Python.
        assertEquals("available", run.finished().state());
        assertTrue(run.textPlain().endsWith("String = left the loop"), run.textPlain());
        assertSessionStillWorks();
    }

    @Test
    void cancelOfABusyLoopThatIgnoresInterruptsStopsItsThreadAfterTheGrace() throws Exception {
        assumeTrue(Runtime.version().feature() < 20, "Thread.stop throws from Java 20: such a loop cannot be ended");
        StatementFinished finished = cancelOnceStarted("var spins = 0L\nwhile (true) { spins += 1 }",
                STOP_GRACE.plusSeconds(2));
        assertEquals("Stopped", finished.output().ename());
        assertSessionStillWorks();
    }

    @Test
    void cancelOfARunningSparkJobEndsTheStatementWithinTwoSecondsAndStopsItsTasks() throws Exception {
        long id = session.submit("sc.parallelize(1 to 2, 2).map { i => Thread.sleep(60000); i }.collect()");
        StatementTasks tasks = new StatementTasks(session.spark.sparkContext(), id);
        tasks.awaitRunning(2, Duration.ofSeconds(30));
        long start = System.nanoTime();
        session.runner.cancel(id);
        StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", finished.state(), finished.toString());
        assertTrue(millis < 2_000, "cancel took " + millis + " ms");
        tasks.awaitStopped(Duration.ofSeconds(5));
        assertTrue(session.run("sc.parallelize(1 to 2).sum()").textPlain().endsWith("Double = 3.0"));
        assertSessionStillWorks();
    }

    @Test
    void aSparkJobTheStatementStartsAfterTheCancelIsCancelledAsItStarts() throws Exception {
        // The code swallows the interrupt and goes on to a job: cancelJobsWithTag alone would miss that job, and the
        // statement would wait for the stop grace and then lose its thread.
        long id = session.submit("println(\"started\")\n"
                + "try Thread.sleep(60000) catch { case _: InterruptedException => }\n"
                + "sc.parallelize(1 to 2, 2).map { i => Thread.sleep(60000); i }.collect()");
        session.sink.await(id, ChannelMessage.Output.class, ScalaSession.STATEMENT_TIMEOUT);
        long start = System.nanoTime();
        session.runner.cancel(id);
        StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", finished.state(), finished.toString());
        assertEquals("org.apache.spark.SparkException", finished.output().ename(), finished.output().toString());
        assertTrue(millis < STOP_GRACE.toMillis(), "cancel took " + millis + " ms");
        new StatementTasks(session.spark.sparkContext(), id).awaitStopped(Duration.ofSeconds(5));
        assertSessionStillWorks();
    }

    @Test
    void cancelOfACellWithClassesStopsItBeforeItsNextReplLine() throws Exception {
        // The class definitions make three REPL lines of this cell; the second swallows the interrupt and ends.
        long id = session.submit("class Before\n"
                + "println(\"started\")\n"
                + "try Thread.sleep(60000) catch { case _: InterruptedException => }\n"
                + "class After\n"
                + "println(\"the third line ran\")");
        session.sink.await(id, ChannelMessage.Output.class, ScalaSession.STATEMENT_TIMEOUT);
        long start = System.nanoTime();
        session.runner.cancel(id);
        RunRecord run = session.await(id);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", run.finished().state(), run.finished().toString());
        assertEquals("Cancelled", run.finished().output().ename());
        assertEquals("started\n", run.stdout());
        assertTrue(millis < 2_000, "cancel took " + millis + " ms");
        assertSessionStillWorks();
    }

    /** Starts the code (after it printed "started"), cancels it, and checks it ends cancelled within the limit. */
    private static StatementFinished cancelOnceStarted(String code, Duration limit) throws Exception {
        long id = session.submit("println(\"started\")\n" + code);
        session.sink.await(id, ChannelMessage.Output.class, ScalaSession.STATEMENT_TIMEOUT);
        long start = System.nanoTime();
        session.runner.cancel(id);
        StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", finished.state(), finished.toString());
        assertTrue(millis < limit.toMillis(), "cancel took " + millis + " ms");
        return finished;
    }

    private static void assertSessionStillWorks() throws Exception {
        assertEquals("val res0: Int = 42", session.run("keptThroughCancels + 1").textPlain()
                .replaceAll("res\\d+", "res0"));
    }
}
