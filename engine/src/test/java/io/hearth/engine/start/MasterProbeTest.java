package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MasterProbeTest {

    @Test
    void aStandaloneMasterNobodyListensAtFailsWithinItsTimeoutNamingTheAddressAndTheSetting() throws IOException {
        int port = closedPort();
        long start = System.nanoTime();
        EngineStartException e = assertThrows(EngineStartException.class,
                () -> MasterProbe.check("spark://127.0.0.1:" + port, Duration.ofSeconds(1)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 1_000 && millis < 5_000, "gave up after " + millis + " ms");
        assertTrue(e.getMessage().startsWith("Failed to connect to master spark://127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + port + " (Connection refused")
                && e.getMessage().contains(MasterProbe.TIMEOUT_KEY), e.getMessage());
    }

    @Test
    void oneListeningAddressOfSeveralIsEnoughAndOtherMastersAreLeftToSpark() throws Exception {
        try (ServerSocket master = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MasterProbe.check("spark://127.0.0.1:" + closedPort() + ",127.0.0.1:" + master.getLocalPort(),
                    Duration.ofSeconds(5));
        }
        MasterProbe.check("yarn", Duration.ZERO);
        MasterProbe.check("local[2]", Duration.ZERO);
        assertThrows(EngineStartException.class, () -> MasterProbe.check("spark://no-port", Duration.ZERO));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
