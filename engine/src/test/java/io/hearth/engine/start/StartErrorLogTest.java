package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class StartErrorLogTest {

    private static final Logger SPARK_LIKE = LoggerFactory.getLogger("org.apache.spark.scheduler.cluster.Example");

    @Test
    void keepsTheLastDistinctErrorsLoggedWhileAttachedAndNothingAfter() {
        List<String> kept;
        try (StartErrorLog errors = StartErrorLog.attach()) {
            SPARK_LIKE.warn("a warning is not the cause");
            SPARK_LIKE.error("Failed to connect to master 127.0.0.1:7077");
            for (int i = 1; i <= 3; i++) {
                SPARK_LIKE.error("error {}", i);
            }
            SPARK_LIKE.error("All masters are unresponsive! Giving up.");
            SPARK_LIKE.error("error 3");
            kept = errors.errors();
        }
        assertEquals(List.of("error 2", "All masters are unresponsive! Giving up.", "error 3"), kept);
    }

    @Test
    void aClosedLogNoLongerListens() {
        StartErrorLog errors = StartErrorLog.attach();
        errors.close();
        SPARK_LIKE.error("after the start");
        assertEquals(List.of(), errors.errors());
    }
}
