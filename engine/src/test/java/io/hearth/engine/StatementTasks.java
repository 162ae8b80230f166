package io.hearth.engine;

import io.hearth.engine.jobs.StatementJobs;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;

/** What Spark's status tracker says about a statement's jobs and tasks, for tests of cancel. */
public final class StatementTasks {

    private final SparkStatusTracker tracker;
    private final String tag;

    public StatementTasks(SparkContext sparkContext, long statementId) {
        this.tracker = sparkContext.statusTracker();
        this.tag = StatementJobs.tagFor(statementId);
    }

    /** Waits until the statement has {@code count} tasks running at once, so a cancel finds its job in the executors. */
    public void awaitRunning(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (active() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the statement's job did not get " + count + " tasks running within " + limit);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until none of the statement's jobs and tasks run any more; returns how long that took, in ms. */
    public long awaitStopped(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (running()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the statement's job or tasks still ran " + limit + " later: " + active()
                        + " tasks");
            }
            Thread.sleep(20);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private boolean running() {
        for (int id : tracker.getJobIdsForTag(tag)) {
            SparkJobInfo job = tracker.getJobInfo(id).getOrElse(() -> null);
            if (job != null && job.status() == org.apache.spark.JobExecutionStatus.RUNNING) {
                return true;
            }
        }
        return active() > 0;
    }

    private int active() {
        int active = 0;
        for (int id : tracker.getJobIdsForTag(tag)) {
            SparkJobInfo job = tracker.getJobInfo(id).getOrElse(() -> null);
            if (job == null) {
                continue;
            }
            for (int stageId : job.stageIds()) {
                SparkStageInfo stage = tracker.getStageInfo(stageId).getOrElse(() -> null);
                if (stage != null) {
                    active += stage.numActiveTasks();
                }
            }
        }
        return active;
    }
}
