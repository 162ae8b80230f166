package io.hearth.engine.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;

/**
 * Names every Spark job of a statement with one tag, so cancelling the statement can cancel exactly its jobs: those
 * running at the cancel, and those the statement starts after it until it ends.
 */
public final class StatementJobs {

    private final SparkContext sparkContext;
    /** Tag to cancel reason, for the statements cancelled and not yet ended; read on Spark's listener-bus thread. */
    private final Map<String, String> cancelledTags = new ConcurrentHashMap<>();

    public StatementJobs(SparkContext sparkContext) {
        this.sparkContext = sparkContext;
        sparkContext.addSparkListener(new LateJobCanceller(cancelledTags::get, sparkContext::cancelJob));
        CancelWarmUp.startWordingTheCancelMessage();
    }

    /** The tag an interpreter must add, on the thread that runs the statement, while the statement runs. */
    public static String tagFor(long statementId) {
        return "hearth-stmt-" + statementId;
    }

    public void cancel(long statementId) {
        String tag = tagFor(statementId);
        String reason = "statement " + statementId + " was cancelled";
        // Remembered first: a job submitted while the tag is being cancelled is then caught by one or the other.
        cancelledTags.put(tag, reason);
        sparkContext.cancelJobsWithTag(tag, reason);
    }

    /** The statement has ended: its tag no longer cancels jobs. */
    public void ended(long statementId) {
        cancelledTags.remove(tagFor(statementId));
    }
}
