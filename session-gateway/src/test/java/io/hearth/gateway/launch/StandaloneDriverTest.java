package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a standalone driver's id and end from spark-submit's output (lines as Spark 4.2.0's standalone client writes). */
class StandaloneDriverTest {

    private static final List<String> FAILED = List.of(
            "26/12/03 11:10:41 INFO ClientEndpoint: ... waiting before polling master for driver state",
            "26/12/03 11:10:41 INFO ClientEndpoint: Driver successfully submitted as driver-20261203111041-0001",
            "26/12/03 11:10:46 INFO ClientEndpoint: State of driver-20261203111041-0001 is RUNNING",
            "26/12/03 11:10:46 INFO ClientEndpoint: Driver running on 127.0.0.1:40447 (worker-20261203111013-127.0.0.1-40447)",
            "26/12/03 11:11:56 INFO ClientEndpoint: State of driver driver-20261203111041-0001 is FAILED, exiting"
                    + " spark-submit JVM.");

    @Test
    void theIdIsWhatTheMasterGaveOnSubmission() {
        assertEquals(Optional.of("driver-20261203111041-0001"), StandaloneDriver.id(FAILED));
        assertEquals(Optional.empty(), StandaloneDriver.id(FAILED.subList(0, 1)));
    }

    @Test
    void theEndingIsTheStateTheMasterLastReported() {
        assertEquals(Optional.of("the standalone driver driver-20261203111041-0001 ended FAILED"),
                StandaloneDriver.ending(FAILED));
        assertEquals(Optional.empty(), StandaloneDriver.ending(FAILED.subList(0, 4)), "a running driver has none");
    }
}
