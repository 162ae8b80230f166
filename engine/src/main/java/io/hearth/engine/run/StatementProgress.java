package io.hearth.engine.run;

import io.hearth.engine.jobs.ExecutorWatch;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.protocol.ChannelMessage.JobProgress;
import io.hearth.protocol.ChannelMessage.Progress;
import io.hearth.protocol.ChannelMessage.StatementWarning;
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
 * job tag every {@code interval}, so a statement's jobs are found on whatever thread the interpreter ran them. The same
 * samples tell when the cluster holds the statement up (see {@link ExecutorWatch}): a {@code StatementWarning} goes out
 * when its tasks have had no executor for {@code spark.starvation.timeout}, and for each executor lost while it runs.
 */
public final class StatementProgress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatementProgress.class);
    /** Spark's listener bus is asynchronous: a job's last events may land just after the action returned. */
    private static final long SETTLE_MILLIS = 1_000;

    private final SparkStatusTracker tracker;
    private final StatementSink sink;
    private final Duration interval;
    private final ExecutorWatch executors;
    private final ScheduledExecutorService sampler;

    public StatementProgress(SparkStatusTracker tracker, StatementSink sink, Duration interval, ExecutorWatch executors) {
        this.tracker = tracker;
        this.sink = sink;
        this.interval = interval;
        this.executors = executors;
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
        /** The latest executor loss this statement was told of (or that came before it started). */
        private long lossesTold;
        /** Since when (System.nanoTime) tasks have been waiting with none running; -1 while they run or none wait. */
        private long waitingSince = -1;
        private long completedWhenWaiting;
        private boolean waitTold;

        private Tracking(long statementId) {
            this.statementId = statementId;
            this.tag = StatementJobs.tagFor(statementId);
            this.lossesTold = executors.lastLoss();
        }

        private synchronized void sample() {
            try {
                List<JobProgress> jobs = jobs();
                boolean running = jobs.stream().anyMatch(j -> "RUNNING".equals(j.status()));
                if (!jobs.isEmpty() && (running || !jobs.equals(lastJobs))) {
                    send(jobs);
                }
                watchCluster(jobs);
            } catch (RuntimeException e) {
                // Sampling must never take the statement down; the next tick tries again.
                log.debug("progress sample of statement {} failed: {}", statementId, e.toString());
            }
        }

        /** Tells of executors lost, and of tasks that have found no executor for the starvation timeout (once a wait). */
        private void watchCluster(List<JobProgress> jobs) {
            for (ExecutorWatch.Loss loss : executors.lossesAfter(lossesTold)) {
                lossesTold = loss.number();
                sink.send(new StatementWarning(statementId, StatementWarning.EXECUTOR_LOST, "Lost executor "
                        + loss.executorId() + (loss.host() == null ? "" : " on " + loss.host()) + ": " + loss.reason()
                        + ". Spark runs its tasks again on the executors left (" + executors.liveExecutors() + " now)."));
            }
            List<JobProgress> runningJobs = jobs.stream().filter(j -> "RUNNING".equals(j.status())).toList();
            long pending = runningJobs.stream().mapToLong(j -> j.numTasks() - j.completedTasks() - j.activeTasks()).sum();
            long active = runningJobs.stream().mapToLong(JobProgress::activeTasks).sum();
            long completed = runningJobs.stream().mapToLong(JobProgress::completedTasks).sum();
            if (pending <= 0 || active > 0) {
                waitingSince = -1;
                waitTold = false;
                return;
            }
            long now = System.nanoTime();
            if (waitingSince < 0 || completed != completedWhenWaiting) {
                waitingSince = now;
                completedWhenWaiting = completed;
                return;
            }
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(now - waitingSince);
            if (!waitTold && waitedMillis >= executors.waitBeforeWarning().toMillis()) {
                waitTold = true;
                sink.send(new StatementWarning(statementId, StatementWarning.WAITING_FOR_EXECUTORS,
                        "Waiting for executors: " + pending + " tasks of this statement have found no executor to run"
                        + " on for " + Math.round(waitedMillis / 1000.0) + " s (the session has "
                        + executors.liveExecutors() + " executors now). The cluster has not given this session the"
                        + " resources it asks for (" + executors.resourcesAsked() + "): its workers may be busy with"
                        + " other applications, have less memory or fewer cores than one executor needs, or be gone."
                        + " The statement keeps waiting; interrupt it to stop."));
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
