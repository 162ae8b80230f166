package io.hearth.engine.jobs;

import java.util.Map;
import org.apache.spark.SparkThrowableHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pays the one-time JVM costs of cancelling a Spark job early, so that the first cancel is as quick as later ones. */
final class CancelWarmUp {

    private static final Logger log = LoggerFactory.getLogger(CancelWarmUp.class);

    private CancelWarmUp() {
    }

    /**
     * Spark words a cancelled job's error from its error catalogue, a few hundred KB of JSON parsed (and Jackson's
     * classes loaded) on first use, and does so on the scheduler's event thread: the first cancel of a session waited
     * 0.3-1.6 s, by the machine's load, before the job even stopped. Wording the same message on a thread of its own
     * parses it now, beside the session's start rather than in it. The thread ends by itself within seconds (a daemon:
     * it never holds the JVM), and a cancel that comes sooner simply waits for the same parse.
     */
    static void startWordingTheCancelMessage() {
        Thread thread = new Thread(CancelWarmUp::wordTheCancelMessage, "hearth-cancel-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void wordTheCancelMessage() {
        try {
            SparkThrowableHelper.getMessage("SPARK_JOB_CANCELLED", Map.of("jobId", "0", "reason", "warm-up"));
        } catch (RuntimeException e) {
            log.warn("could not warm up Spark's wording of a cancelled job (only the first cancel is slower): {}",
                    e.toString());
        }
    }
}
