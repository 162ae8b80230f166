package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.RunRecord;
import io.hearth.engine.StatementTasks;
import io.hearth.engine.jobs.StatementJobs;
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
    void cancelOfASleepInsideAJvmCallEndsWithAKeyboardInterruptWithinTwoSecondsAndKeepsVariables() throws Exception {
        session.run("kept_through_jvm_sleep = 1");
        long id = session.submit("spark._jvm.java.lang.Thread.sleep(600000)");
        StatementOutput output = assertCancelledWithin(id, Duration.ofSeconds(2));
        assertKeyboardInterruptAt("spark._jvm.java.lang.Thread.sleep(600000)", output);
        assertEquals("2", session.run("kept_through_jvm_sleep + 1").textPlain());
        assertJvmCallsWork();
    }

    @Test
    void cancelOfASocketAcceptInsideAJvmCallEndsWithAKeyboardInterruptWithinTwoSecondsAndKeepsVariables()
            throws Exception {
        session.run("kept_through_accept = 2\nnobody_calls = spark._jvm.java.net.ServerSocket(0)");
        long id = session.submit("nobody_calls.accept()");
        StatementOutput output = assertCancelledWithin(id, Duration.ofSeconds(2));
        assertKeyboardInterruptAt("nobody_calls.accept()", output);
        assertEquals("3", session.run("kept_through_accept + 1").textPlain());
        assertJvmCallsWork();
        // Java's socket calls ignore Thread.interrupt: the JVM thread that served the call waits on until this.
        session.run("nobody_calls.close()");
    }

    @Test
    void cancelOfASocketReadInsideAJvmCallEndsWithAKeyboardInterruptWithinTwoSecondsAndKeepsVariables()
            throws Exception {
        session.run("""
                kept_through_read = 3
                silent_listener = spark._jvm.java.net.ServerSocket(0)
                reader = spark._jvm.java.net.Socket("127.0.0.1", silent_listener.getLocalPort())
                silent_peer = silent_listener.accept()""");
        long id = session.submit("reader.getInputStream().read()");
        StatementOutput output = assertCancelledWithin(id, Duration.ofSeconds(2));
        assertKeyboardInterruptAt("reader.getInputStream().read()", output);
        assertEquals("4", session.run("kept_through_read + 1").textPlain());
        assertJvmCallsWork();
        session.run("reader.close()\nsilent_peer.close()\nsilent_listener.close()");
    }

    @Test
    void aStatementGoingOnAfterItsJvmCallWasLeftBehindKeepsItsJobTagAndLocalProperties() throws Exception {
        // The job first, so that the one after the cancel starts as fast as a session's later jobs do.
        session.run("sc.parallelize(range(2), 2).count()\nsc.setLocalProperty('hearth.test.kept', 'yes')\n"
                + "nobody_calls_either = spark._jvm.java.net.ServerSocket(0)");
        // The accept ignores the interrupt, so Python leaves it and goes on over a new JVM thread, where the code
        // catches the KeyboardInterrupt and starts a job: that job must carry the statement's tag to be cancelled.
        long id = session.submit("""
                import time
                tags_after_leaving = None
                try:
                    nobody_calls_either.accept()
                except KeyboardInterrupt:
                    tags_after_leaving = sc.getJobTags()
                sc.parallelize(range(2), 2).map(lambda x: time.sleep(60) or x).collect()""");
        session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
        Thread.sleep(300);
        session.runner.cancel(id);
        // How soon is the subject of the tests above; this one is about what the new JVM thread carries.
        assertEquals("cancelled", session.await(id).finished().state());
        // An untagged job would run on for its minute of sleep.
        awaitNoSparkJobRunning(Duration.ofSeconds(5));
        assertEquals("True", session.run("'" + StatementJobs.tagFor(id) + "' in tags_after_leaving").textPlain());
        assertEquals("'yes'", session.run("sc.getLocalProperty('hearth.test.kept')").textPlain());
        session.run("sc.setLocalProperty('hearth.test.kept', None)\nnobody_calls_either.close()");
    }

    @Test
    void cancelsThatLandWhileTheJvmIsAnsweringPythonLeaveThePy4jLinkWorking() throws Exception {
        // Each call's answer is 2 MB, so a cancel often comes while the JVM thread is writing one to Python.
        session.run("kept_through_answers = 4");
        for (int i = 0; i < 5; i++) {
            long id = session.submit(
                    "while True:\n    spark._jvm.org.apache.commons.lang3.StringUtils.repeat('x', 2000000)");
            session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
            Thread.sleep(200 + 70L * i);
            session.runner.cancel(id);
            ChannelMessage.StatementFinished finished = session.await(id).finished();
            assertEquals("cancelled", finished.state(), finished.toString());
            assertEquals("KeyboardInterrupt", finished.output().ename(), finished.output().toString());
            assertEquals("5", session.run("kept_through_answers + 1").textPlain());
            assertJvmCallsWork();
        }
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
        RunRecord crash = session.run("import os\nos._exit(1)");
        StatementOutput output = crash.finished().output();
        assertEquals("available", crash.finished().state());
        assertEquals("error", output.status());
        assertEquals("InterpreterDied", output.ename());
        assertTrue(output.evalue().contains("exit code 1"), output.evalue());
        assertTrue(output.evalue().contains("state (variables, imports) was lost"), output.evalue());

        assertEquals("False", session.run("'lost_in_crash' in globals()").textPlain());
        assertEquals("10", session.run("spark.range(10).count()").textPlain());
    }

    private static void assertKeyboardInterruptAt(String line, StatementOutput output) {
        assertEquals("KeyboardInterrupt", output.ename(), output.toString());
        String traceback = String.join("", output.traceback());
        assertTrue(traceback.contains(line), traceback);
    }

    private static void awaitNoSparkJobRunning(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (session.spark.sparkContext().statusTracker().getActiveJobIds().length > 0) {
            assertTrue(System.nanoTime() < deadline, "a Spark job still runs " + limit + " after the cancel");
            Thread.sleep(20);
        }
    }

    /** Calls into the JVM, and a Spark job, work after a cancel: several of them, on whichever py4j link is used. */
    private static void assertJvmCallsWork() throws Exception {
        for (int i = 0; i < 2; i++) {
            // A sleep in the JVM fails at once if an interrupt meant for the cancelled call was left on the thread.
            assertEquals("[3, 3, 3]", session.run(
                    "[spark._jvm.java.lang.Thread.sleep(20) or spark._jvm.java.lang.Math.abs(-3) for _ in range(3)]")
                    .textPlain());
            assertEquals("4", session.run("spark.range(4).count()").textPlain());
        }
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
