package io.hearth.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.engine.python.PythonSession;
import io.hearth.protocol.ChannelMessage.JobProgress;
import io.hearth.protocol.ChannelMessage.Progress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatementProgressTest {

    private static PythonSession session;

    @BeforeAll
    static void start() throws Exception {
        session = new PythonSession();
        session.run("import time\ndef slow(x):\n    time.sleep(0.25)\n    return x");
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static List<CollectingSink.Received> progressMessages(RunRecord run) {
        return run.messages().stream().filter(r -> r.message() instanceof Progress).toList();
    }

    @Test
    void progressIsPushedSeveralTimesASecondNeverGoesBackAndEndsWithTheJobsCounts() throws Exception {
        RunRecord run = session.run(
                "a = sc.parallelize(range(8), 8).map(slow).count()\n"
                        + "b = sc.parallelize(range(4), 4).map(slow).count()\n"
                        + "a + b");
        assertEquals("12", run.textPlain());
        List<CollectingSink.Received> updates = progressMessages(run);
        assertTrue(updates.size() >= 4, "a ~1.5 s statement should report at least 4 times, got " + updates.size());

        double previous = 0;
        long previousNanos = updates.get(0).nanos();
        for (CollectingSink.Received r : updates) {
            Progress p = (Progress) r.message();
            assertTrue(p.progress() >= previous, "progress went back from " + previous + " to " + p.progress());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(r.nanos() - previousNanos) <= 600,
                    "more than 600 ms between progress updates while jobs ran");
            previous = p.progress();
            previousNanos = r.nanos();
        }

        Progress last = (Progress) updates.get(updates.size() - 1).message();
        assertEquals(1.0, last.progress());
        assertEquals(2, last.jobs().size());
        JobProgress first = last.jobs().get(0);
        JobProgress second = last.jobs().get(1);
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED"), List.of(first.status(), second.status()));
        assertEquals(List.of(8, 8, 1, 1), List.of(first.numTasks(), first.completedTasks(), first.numStages(),
                first.completedStages()));
        assertEquals(List.of(4, 4, 0, 0), List.of(second.numTasks(), second.completedTasks(), second.activeTasks(),
                second.failedTasks()));
        assertTrue(first.jobId() < second.jobId());
    }

    @Test
    void progressWhileRunningShowsTasksDoneOutOfTotal() throws Exception {
        RunRecord run = session.run("sc.parallelize(range(12), 6).map(slow).sum()");
        assertEquals("66", run.textPlain());
        boolean sawPartial = progressMessages(run).stream()
                .map(r -> (Progress) r.message())
                .anyMatch(p -> p.progress() > 0 && p.progress() < 1 && p.jobs().get(0).status().equals("RUNNING")
                        && p.jobs().get(0).numTasks() == 6 && p.jobs().get(0).completedTasks() < 6);
        assertTrue(sawPartial, "no update showed the job part-way: " + progressMessages(run));
    }

    @Test
    void aJobWhoseShuffleOutputIsReusedStillEndsComplete() throws Exception {
        RunRecord run = session.run(
                "pairs = sc.parallelize([(i % 3, i) for i in range(30)], 3).reduceByKey(lambda a, b: a + b)\n"
                        + "pairs.count()\n"
                        + "sorted(pairs.collect())");
        assertEquals("[(0, 135), (1, 145), (2, 155)]", run.textPlain());
        Progress last = (Progress) progressMessages(run).get(progressMessages(run).size() - 1).message();
        assertEquals(1.0, last.progress());
        for (JobProgress job : last.jobs()) {
            assertEquals(job.numTasks(), job.completedTasks(), job.toString());
            assertEquals(job.numStages(), job.completedStages(), job.toString());
        }
    }

    @Test
    void aStatementWithoutSparkJobsSendsNoProgress() throws Exception {
        RunRecord run = session.run("sum(range(10))");
        assertEquals("45", run.textPlain());
        assertEquals(List.of(), progressMessages(run));
    }
}
