package io.hearth.gateway.batch;

import java.util.List;

/**
 * Where batches outlive the gateway: what was asked, where each stood, and how to find its driver process again.
 * Every write is committed when the method returns, as the session store's are.
 */
public interface BatchStore {

    /**
     * A batch as stored.
     *
     * @param driverPid     spark-submit's pid, 0 when none was launched
     * @param driverStarted that process's start time in epoch millis, so that a reused pid is not taken for it
     * @param logFile       where the batch's log is
     * @param endReason     why a batch ended other than by its own exit (lost across a restart), or null
     */
    record BatchRow(int id, BatchSpec spec, BatchState state, String appId, String sparkUiUrl, long driverPid,
                    long driverStarted, String logFile, String endReason) {}

    /** Hands out a batch id never handed out before by this store, even across restarts and deletes. */
    int reserveBatchId();

    void saveBatch(BatchRow batch);

    void deleteBatch(int batchId);

    /** Every stored batch, by id. */
    List<BatchRow> loadBatches();
}
