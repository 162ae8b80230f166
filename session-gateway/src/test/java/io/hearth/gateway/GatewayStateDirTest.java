package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a gateway keeps in its state directory besides sessions: its channel port, its key, and the directory itself. */
class GatewayStateDirTest {

    @TempDir
    Path dir;

    private GatewayConfig config() throws IOException {
        Path jar = Files.writeString(dir.resolve("engine.jar"), "no engine is started here");
        return TestConfig.of(jar, "python3").with(Settings.STATE_DIR, dir.resolve("state")).build();
    }

    @Test
    void aRestartBindsTheChannelPortOfTheLastStartOrAnotherOneIfItWasTaken() throws Exception {
        GatewayConfig config = config();
        int first;
        try (Gateway gateway = Gateway.start(config)) {
            first = gateway.channelPort();
        }
        try (Gateway gateway = Gateway.start(config)) {
            assertEquals(first, gateway.channelPort(), "engines from before the restart dial this port");
        }
        int second;
        try (ServerSocket squatter = new ServerSocket(first, 1, InetAddress.getLoopbackAddress());
             Gateway gateway = Gateway.start(config)) {
            second = gateway.channelPort();
            assertNotEquals(first, second);
        }
        try (Gateway gateway = Gateway.start(config)) {
            assertEquals(second, gateway.channelPort(), "the port bound last is the one recorded");
        }
    }

    @Test
    void oneGatewayAtATimeUsesAStateDirectoryAndItIsTheOwnersOnly() throws Exception {
        GatewayConfig config = config();
        try (Gateway gateway = Gateway.start(config)) {
            IOException e = assertThrows(IOException.class, () -> Gateway.start(config));
            assertTrue(e.getMessage().contains("another gateway is using the state directory"), e.getMessage());
            assertTrue(e.getMessage().contains("hearth.state.dir"), e.getMessage());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("state").resolve("master.key"))));
        }
        try (Gateway again = Gateway.start(config)) {
            assertTrue(again.port() > 0, "a closed gateway releases the directory");
        }
    }
}
