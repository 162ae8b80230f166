package io.hearth.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel's certificate: made once, owner-only key, the same after a restart, a damaged one refused by name. */
class ChannelCertificateTest {

    @TempDir
    Path dir;

    private ChannelCertificate load() throws IOException {
        return ChannelCertificate.loadOrCreate(dir.resolve("channel-key.pem"), dir.resolve("channel-cert.pem"),
                new SecureRandom());
    }

    @Test
    void aRestartedGatewayServesTheCertificateItsEnginesPinned() throws Exception {
        ChannelCertificate first = load();
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("channel-key.pem"))));
        assertTrue(Files.readString(dir.resolve("channel-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        ChannelCertificate again = load();
        assertEquals(first.fingerprint(), again.fingerprint());
        assertEquals("TLSv1.3", again.serverContext().getProtocol());
    }

    @Test
    void aMissingCertificateMakesBothAnew() throws Exception {
        ChannelCertificate first = load();
        Files.delete(dir.resolve("channel-cert.pem"));
        assertNotEquals(first.fingerprint(), load().fingerprint());
    }

    @Test
    void aDamagedKeyFileIsRefusedSayingWhatToDo() throws Exception {
        load();
        Files.writeString(dir.resolve("channel-key.pem"), "not a key");
        IOException e = assertThrows(IOException.class, this::load);
        assertTrue(e.getMessage().contains("channel-key.pem") && e.getMessage().contains("remove"), e.getMessage());
    }
}
