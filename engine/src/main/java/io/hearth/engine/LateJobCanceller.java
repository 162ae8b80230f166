package io.hearth.engine;

import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.spark.SparkContext$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Cancels a Spark job as it starts when one of its tags belongs to a cancelled statement. A statement can start a job
 * after its cancel (the cancel came between two jobs, or the code caught the interrupt): {@code cancelJobsWithTag}
 * only reaches jobs already running, and such a job would otherwise run to its end before the statement can stop.
 */
final class LateJobCanceller extends SparkListener {

    private final Predicate<String> cancelledTag;
    private final BiConsumer<Integer, String> cancelJob;

    /**
     * @param cancelledTag whether a job tag belongs to a cancelled statement
     * @param cancelJob    cancels a job by id, with a reason
     */
    LateJobCanceller(Predicate<String> cancelledTag, BiConsumer<Integer, String> cancelJob) {
        this.cancelledTag = cancelledTag;
        this.cancelJob = cancelJob;
    }

    /** The reason Spark puts in the cancelled job's error, the same for jobs cancelled early or late. */
    static String reason(long statementId) {
        return "statement " + statementId + " was cancelled";
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        SparkContext$ names = SparkContext$.MODULE$;
        String tags = jobStart.properties() == null ? null : jobStart.properties().getProperty(names.SPARK_JOB_TAGS());
        if (tags == null || tags.isEmpty()) {
            return;
        }
        for (String tag : tags.split(Pattern.quote(names.SPARK_JOB_TAGS_SEP()))) {
            if (cancelledTag.test(tag)) {
                cancelJob.accept(jobStart.jobId(), "the statement of tag " + tag + " was cancelled");
                return;
            }
        }
    }
}
