package io.hearth.engine.jobs;

import java.util.function.BiConsumer;
import java.util.function.Function;
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

    private final Function<String, String> cancelReason;
    private final BiConsumer<Integer, String> cancelJob;

    /**
     * @param cancelReason the reason a job tag's statement was cancelled, null when it was not
     * @param cancelJob    cancels a job by id, with a reason
     */
    LateJobCanceller(Function<String, String> cancelReason, BiConsumer<Integer, String> cancelJob) {
        this.cancelReason = cancelReason;
        this.cancelJob = cancelJob;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        SparkContext$ names = SparkContext$.MODULE$;
        String tags = jobStart.properties() == null ? null : jobStart.properties().getProperty(names.SPARK_JOB_TAGS());
        if (tags == null || tags.isEmpty()) {
            return;
        }
        for (String tag : tags.split(Pattern.quote(names.SPARK_JOB_TAGS_SEP()))) {
            String reason = cancelReason.apply(tag);
            if (reason != null) {
                cancelJob.accept(jobStart.jobId(), reason);
                return;
            }
        }
    }
}
