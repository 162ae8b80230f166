package io.hearth.engine;

import org.apache.spark.SparkContext;

/** Names every Spark job of a statement with one tag, so cancelling the statement can cancel exactly its jobs. */
public final class StatementJobs {

    private final SparkContext sparkContext;

    public StatementJobs(SparkContext sparkContext) {
        this.sparkContext = sparkContext;
    }

    /** The tag an interpreter must add, on the thread that runs the statement, while the statement runs. */
    public static String tagFor(long statementId) {
        return "hearth-stmt-" + statementId;
    }

    public void cancel(long statementId) {
        sparkContext.cancelJobsWithTag(tagFor(statementId), "statement " + statementId + " was cancelled");
    }
}
