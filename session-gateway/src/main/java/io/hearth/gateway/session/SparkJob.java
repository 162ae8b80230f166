package io.hearth.gateway.session;

import io.hearth.protocol.ChannelMessage;

/**
 * One Spark job of a statement, as its engine last reported it. {@code status} is Spark's (RUNNING, SUCCEEDED, FAILED,
 * UNKNOWN); a succeeded job counts the stages it skipped (output reused from an earlier job) as completed.
 */
public record SparkJob(int jobId, String status, int numStages, int completedStages, int numTasks, int completedTasks,
                       int activeTasks, int failedTasks) {

    static SparkJob of(ChannelMessage.JobProgress p) {
        return new SparkJob(p.jobId(), p.status(), p.numStages(), p.completedStages(), p.numTasks(),
                p.completedTasks(), p.activeTasks(), p.failedTasks());
    }
}
