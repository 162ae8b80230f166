package io.hearth.engine.run;

import io.hearth.engine.jobs.StatementJobs;
import io.hearth.protocol.ChannelMessage.JobProgress;
import io.hearth.protocol.ChannelMessage.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the running statement's Spark progress to the gateway: sampled from Spark's status tracker by the statement's
 * job tag every {@code interval}, so a statement's jobs are found on whatever thread the interpreter ran them.
 */
public final class StatementProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatementProgress.class);
    /** Spark's listener bus is asynchronous: a job's last events may land just after the action returned. */
    private static final long SETTLE_MILLIS = 1_000;

    private final SparkStatusTracker tracker;
    private final StatementSink sink;
    private final Duration interval;
    private final ScheduledExecutorService sampler;

    public StatementProgress(SparkStatusTracker tracker, StatementSink sink, Duration interval) {
        this.tracker = tracker;
        this.sink = sink;
        this.interval = interval;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts sampling the statement's jobs; closing the handle sends the final state and stops sampling. */
    public Tracking track(long statementId) {
        Tracking tracking = new Tracking(statementId);
        tracking.future = sampler.scheduleAtFixedRate(tracking::sample, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return tracking;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    /** The sampling of one statement; its fields are touched by the sampler thread, then by the closer after cancel. */
    public final class Tracking implements AutoCloseable {

        private final long statementId;
        private final String tag;
        private volatile ScheduledFuture<?> future;
        private double reported;
        private List<JobProgress> lastJobs = List.of();

        private Tracking(long statementId) {
            this.statementId = statementId;
            this.tag = StatementJobs.tagFor(statementId);
        }

        private synchronized void sample() {
            try {
                List<JobProgress> jobs = jobs();
                boolean running = jobs.stream().anyMatch(j -> "RUNNING".equals(j.status()));
                if (!jobs.isEmpty() && (running || !jobs.equals(lastJobs))) {
                    send(jobs);
                }
            } catch (RuntimeException e) {
                // Sampling must never take the statement down; the next tick tries again.
                log.debug("progress sample of statement {} failed: {}", statementId, e.toString());
            }
        }

        /** Waits briefly for the jobs' final events, then reports their final state once. */
        @Override
        public void close() {
            future.cancel(false);
            synchronized (this) {
                long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
                List<JobProgress> jobs = jobs();
                while (jobs.stream().anyMatch(j -> "RUNNING".equals(j.status())) && System.currentTimeMillis() < deadline) {
                    sleepBriefly();
                    jobs = jobs();
                }
                if (!jobs.isEmpty() && !jobs.equals(lastJobs)) {
                    send(jobs);
                }
            }
        }

        private void send(List<JobProgress> jobs) {
            long total = jobs.stream().mapToLong(JobProgress::numTasks).sum();
            long done = jobs.stream().mapToLong(JobProgress::completedTasks).sum();
            double fraction = total == 0 ? 0 : (double) done / total;
            // A new job adds tasks and would pull the fraction down; Livy clients expect it never to move backwards.
            reported = Math.max(reported, Math.min(1.0, fraction));
            lastJobs = jobs;
            sink.send(new Progress(statementId, reported, jobs));
        }

        private List<JobProgress> jobs() {
            int[] ids = tracker.getJobIdsForTag(tag);
            Arrays.sort(ids);
            List<JobProgress> jobs = new ArrayList<>(ids.length);
            for (int id : ids) {
                SparkJobInfo job = tracker.getJobInfo(id).getOrElse(() -> null);
                if (job != null) {
                    jobs.add(progressOf(job));
                }
            }
            return jobs;
        }

        private JobProgress progressOf(SparkJobInfo job) {
            int stages = job.stageIds().length;
            int completedStages = 0;
            int tasks = 0;
            int completed = 0;
            int active = 0;
            int failed = 0;
            for (int stageId : job.stageIds()) {
                SparkStageInfo stage = tracker.getStageInfo(stageId).getOrElse(() -> null);
                if (stage == null) {
                    continue;
                }
                tasks += stage.numTasks();
                completed += Math.min(stage.numCompletedTasks(), stage.numTasks());
                active += stage.numActiveTasks();
                failed += stage.numFailedTasks();
                if (stage.numTasks() > 0 && stage.numCompletedTasks() >= stage.numTasks()) {
                    completedStages++;
                }
            }
            JobExecutionStatus status = job.status();
            if (status == JobExecutionStatus.SUCCEEDED) {
                completedStages = stages;
                completed = tasks;
                active = 0;
            }
            return new JobProgress(job.jobId(), status.name(), stages, completedStages, tasks, completed, active, failed);
        }

        private void sleepBriefly() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
