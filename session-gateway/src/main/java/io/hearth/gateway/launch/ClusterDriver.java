package io.hearth.gateway.launch;

import java.time.Duration;
import java.util.Optional;

/**
 * A cluster-mode engine as the cluster knows it, read from the log of the spark-submit that waits for it: how it
 * ended in the cluster's words, and killing it there when stopping spark-submit would leave it running.
 */
interface ClusterDriver {

    /** How the driver ended, as the cluster said it; empty while spark-submit has not reported an end. */
    Optional<String> ending();

    /** Asks the cluster to kill the driver, if spark-submit said which it is. Waits for the answer; never throws. */
    void kill();

    /** How long spark-submit may take to exit once the driver is gone: it learns of the end by polling the cluster. */
    Duration exitWait();
}
