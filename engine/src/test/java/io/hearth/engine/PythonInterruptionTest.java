package io.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelling statements and surviving a crashed interpreter, against one shared local SparkSession. */
class PythonInterruptionTest {

    /** Short, so the test of a statement that ignores interrupts does not wait the default 10 s. */
    private static final Duration CANCEL_GRACE = Duration.ofSeconds(3);

    private static PythonSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new PythonSession(CANCEL_GRACE);
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void cancelOfABusyLoopFinishesCancelledWithinTwoSecondsAndKeepsVariables() throws Exception {
        session.run("kept_through_cancel = 41");
        long id = session.submit("while True:\n    pass");
        assertCancelledWithin(id, Duration.ofSeconds(2));
        assertEquals("42", session.run("kept_through_cancel + 1").textPlain());
    }

    @Test
    void cancelArrivingAsTheStatementStartsStillStopsIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            long id = session.submit("while True:\n    pass");
            long start = System.nanoTime();
            session.runner.cancel(id);
            ChannelMessage.StatementFinished finished = session.await(id).finished();
            assertEquals("cancelled", finished.state(), finished.toString());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 2_000, "cancel took " + millis + " ms");
        }
        assertEquals("2", session.run("1+1").textPlain());
    }

    @Test
    void cancelOfASleepFinishesCancelledWithinTwoSeconds() throws Exception {
        long id = session.submit("import time\ntime.sleep(60)");
        StatementOutput output = assertCancelledWithin(id, Duration.ofSeconds(2));
        assertEquals("KeyboardInterrupt", output.ename());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains("time.sleep(60)"), traceback);
        assertEquals("2", session.run("1+1").textPlain());
    }

    @Test
    void cancelOfARunningSparkJobEndsTheStatementWithinTwoSecondsStopsItsTasksAndKeepsTheSession() throws Exception {
        session.run("kept_through_job_cancel = 6");
        long id = session.submit("import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).collect()");
        StatementTasks tasks = new StatementTasks(session.spark.sparkContext(), id);
        tasks.awaitRunning(2, Duration.ofSeconds(30));
        long start = System.nanoTime();
        session.runner.cancel(id);
        ChannelMessage.StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("statement " + id + " (a Spark job of Python tasks) cancelled in " + millis + " ms");
        assertEquals("cancelled", finished.state(), finished.toString());
        assertTrue(millis < 2_000, "cancel took " + millis + " ms");
        // Spark notices a killed Python task within 2 s and then kills its worker (spark.python.task.killTimeout).
        long stopped = tasks.awaitStopped(Duration.ofSeconds(5));
        System.out.println("its tasks had stopped " + (millis + stopped) + " ms after the cancel");
        assertEquals("7", session.run("kept_through_job_cancel + 1").textPlain());
        assertEquals("3", session.run("sc.parallelize([1, 2]).sum()").textPlain());
    }

    @Test
    void aSparkJobTheStatementStartsAfterTheCancelIsCancelledAsItStarts() throws Exception {
        // The code catches the KeyboardInterrupt and goes on to a job: cancelJobsWithTag alone would miss that job.
        long id = session.submit("import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    pass\n"
                + "sc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).collect()");
        session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
        Thread.sleep(300); // into the sleep
        long start = System.nanoTime();
        session.runner.cancel(id);
        ChannelMessage.StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", finished.state(), finished.toString());
        // Which ends it depends on timing: the job cancelled as it starts (SPARK_JOB_CANCELLED), or the interrupt the
        // engine sends again landing in the job's wait (KeyboardInterrupt). Either way the job's tasks must stop.
        String ending = finished.output().ename() + " " + finished.output().evalue() + " "
                + String.join("", finished.output().traceback());
        assertTrue(ending.contains("SPARK_JOB_CANCELLED") || "KeyboardInterrupt".equals(finished.output().ename()),
                finished.output().toString());
        assertTrue(millis < 2_000, "cancel took " + millis + " ms");
        new StatementTasks(session.spark.sparkContext(), id).awaitStopped(Duration.ofSeconds(5));
        assertEquals("2", session.run("1+1").textPlain());
    }

    @Test
    void cancelOfAQueuedStatementFinishesItAtOnceAndItNeverRuns() throws Exception {
        session.run("queued_ran = False");
        long busy = session.submit("import time\ntime.sleep(1.5)");
        long queued = session.submit("queued_ran = True");
        session.runner.cancel(queued);
        ChannelMessage.StatementFinished finished =
                session.sink.await(queued, ChannelMessage.StatementFinished.class, Duration.ofMillis(500));
        assertEquals("cancelled", finished.state());
        assertEquals("available", session.await(busy).finished().state());
        assertEquals("False", session.run("queued_ran").textPlain());
    }

    @Test
    void statementThatIgnoresInterruptsIsKilledAfterTheGraceAndAFreshInterpreterFollows() throws Exception {
        long id = session.submit("import time\nwhile True:\n    try:\n        time.sleep(10)\n"
                + "    except KeyboardInterrupt:\n        pass");
        session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
        Thread.sleep(300);
        session.runner.cancel(id);
        ChannelMessage.StatementFinished finished = session.await(id).finished();
        assertEquals("cancelled", finished.state());
        assertEquals("InterpreterDied", finished.output().ename());
        assertTrue(finished.output().evalue().contains("killed"), finished.output().evalue());
        assertEquals("6", session.run("sc.parallelize([1, 2, 3]).sum()").textPlain());
    }

    @Test
    void crashedInterpreterGivesAClearErrorAndTheNextStatementRunsInAFreshOne() throws Exception {
        session.run("lost_in_crash = 1");
        PythonSession.Run crash = session.run("import os\nos._exit(1)");
        StatementOutput output = crash.finished().output();
        assertEquals("available", crash.finished().state());
        assertEquals("error", output.status());
        assertEquals("InterpreterDied", output.ename());
        assertTrue(output.evalue().contains("exit code 1"), output.evalue());
        assertTrue(output.evalue().contains("state (variables, imports) was lost"), output.evalue());

        assertEquals("False", session.run("'lost_in_crash' in globals()").textPlain());
        assertEquals("10", session.run("spark.range(10).count()").textPlain());
    }

    private static StatementOutput assertCancelledWithin(long id, Duration limit) throws Exception {
        session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
        Thread.sleep(300); // let the statement get into its loop
        long start = System.nanoTime();
        session.runner.cancel(id);
        ChannelMessage.StatementFinished finished = session.await(id).finished();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("cancelled", finished.state(), finished.toString());
        assertTrue(millis < limit.toMillis(), "cancel took " + millis + " ms");
        System.out.println("statement " + id + " cancelled in " + millis + " ms");
        return finished.output();
    }
}
