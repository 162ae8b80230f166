package io.hearth.engine;

import java.util.Map;
import org.apache.spark.SparkThrowableHelper;

/** Pays, once at start-up, the one-time JVM costs of cancelling a Spark job, so the first cancel is as quick as later ones. */
final class CancelWarmUp {

    private CancelWarmUp() {
    }

    /**
     * Spark words a cancelled job's error from its error catalogue, a few hundred KB of JSON parsed on first use, and it
     * does so on the scheduler's event thread: the first cancel of a session waited 0.3 s idle, 1.6 s on a loaded
     * machine, before the job even stopped. Wording the same message here parses it now.
     */
    static void wordTheCancelMessage() {
        SparkThrowableHelper.getMessage("SPARK_JOB_CANCELLED", Map.of("jobId", "0", "reason", "warm-up"));
    }
}
