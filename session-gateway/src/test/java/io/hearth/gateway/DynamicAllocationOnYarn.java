package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.yarn.YarnTestBed;
import java.time.Duration;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;

/**
 * Dynamic allocation on YARN as a user configures it in a session's {@code conf}: no executors while idle, executor
 * containers from YARN while a job has tasks waiting, given back once idle. Shuffle tracking stands in for the external
 * shuffle service, which the test bed's NodeManager (like many clusters) does not run.
 */
final class DynamicAllocationOnYarn {

    private static final Duration SETTLE = Duration.ofSeconds(90);

    private DynamicAllocationOnYarn() {
    }

    /** The session {@code conf} entries: from zero up to two executors, released after 5 idle seconds. */
    static void addConf(JsonObject conf) {
        conf.addProperty("spark.dynamicAllocation.enabled", "true");
        conf.addProperty("spark.dynamicAllocation.shuffleTracking.enabled", "true");
        conf.addProperty("spark.dynamicAllocation.minExecutors", "0");
        conf.addProperty("spark.dynamicAllocation.initialExecutors", "0");
        conf.addProperty("spark.dynamicAllocation.maxExecutors", "2");
        conf.addProperty("spark.dynamicAllocation.executorIdleTimeout", "5s");
        conf.addProperty("spark.dynamicAllocation.schedulerBacklogTimeout", "1s");
    }

    /**
     * Runs a job of four slow tasks with {@code pyspark} (code in, printed text out) on the session of YARN application
     * {@code appId}: before it, the application holds only its ApplicationMaster's container; during it, executors;
     * after it, only the ApplicationMaster's container again.
     */
    static void assertExecutorsFollowTheWork(YarnTestBed bed, String appId, UnaryOperator<String> pyspark) {
        awaitContainers(bed, appId, n -> n == 1, "only the ApplicationMaster's container while idle");
        String text = pyspark.apply("""
                import time
                sc.parallelize(range(4), 4).map(lambda x: time.sleep(4) or x).count()
                print("executors", len(sc._jsc.sc().statusTracker().getExecutorInfos()) - 1)
                """);
        int executors = Integer.parseInt(YarnSessionTest.line(text, "executors"));
        assertTrue(executors >= 1 && executors <= 2, "executors came for the job, within the maximum: " + text);
        awaitContainers(bed, appId, n -> n == 1, "the executors' containers given back after 5 idle seconds");
    }

    private static void awaitContainers(YarnTestBed bed, String appId, IntPredicate wanted, String what) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonObject app = bed.application(appId);
        while (!wanted.test(app.get("runningContainers").getAsInt()) && System.nanoTime() < deadline) {
            LivyClient.sleep(500);
            app = bed.application(appId);
        }
        assertTrue(wanted.test(app.get("runningContainers").getAsInt()), what + ": " + app);
    }
}
