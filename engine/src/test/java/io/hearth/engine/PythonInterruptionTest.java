package io.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStatusTracker;
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
    void cancelOfARunningSparkJobCancelsTheJobAndSparkStillWorks() throws Exception {
        long id = session.submit("import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).collect()");
        SparkStatusTracker tracker = session.spark.sparkContext().statusTracker();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tracker.getJobIdsForTag(StatementJobs.tagFor(id)).length == 0) {
            assertTrue(System.nanoTime() < deadline, "the statement's job never started");
            Thread.sleep(20);
        }
        assertCancelledWithin(id, Duration.ofSeconds(5));
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tracker.getActiveJobIds().length > 0) {
            assertTrue(System.nanoTime() < deadline, "the cancelled job is still active");
            Thread.sleep(20);
        }
        assertEquals("3", session.run("sc.parallelize([1, 2]).sum()").textPlain());
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
