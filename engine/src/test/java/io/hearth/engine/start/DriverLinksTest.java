package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A driver in a YARN container links its NodeManager's log page; elsewhere it has none (the gateway's log serves). */
class DriverLinksTest {

    @Test
    void aDriverInAYarnContainerLinksItsContainersLogs() {
        Map<String, String> env = Map.of("CONTAINER_ID", "container_1_0001_01_000001", "NM_HOST", "node7",
                "NM_HTTP_PORT", "8042", "USER", "alice");
        assertEquals("http://node7:8042/node/containerlogs/container_1_0001_01_000001/alice",
                DriverLinks.containerLog(env, "http://"));
    }

    @Test
    void aDriverOutsideAContainerHasNoClusterLog() {
        assertNull(DriverLinks.containerLog(Map.of("USER", "alice"), "http://"));
    }
}
