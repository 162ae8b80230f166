package io.hearth.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.LinkKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSecretsTest {

    @TempDir
    Path dir;

    @Test
    void theSameKeyIdAndNonceGiveTheSameSecretAfterARestartAndAnyChangeGivesAnother() throws Exception {
        Path key = dir.resolve("master.key");
        SessionSecrets first = SessionSecrets.load(key, new SecureRandom());
        String nonce = first.newNonce();
        SessionSecret secret = first.derive(4, nonce);

        SessionSecrets afterRestart = SessionSecrets.load(key, new SecureRandom());
        assertEquals(secret, afterRestart.derive(4, nonce));
        assertNotEquals(secret, afterRestart.derive(5, nonce));
        assertNotEquals(secret, afterRestart.derive(4, afterRestart.newNonce()));
        assertNotEquals(secret, SessionSecrets.load(dir.resolve("other.key"), new SecureRandom()).derive(4, nonce),
                "another gateway's key gives another secret");
        assertTrue(secret.value().length() >= 43, "256 bits, base64: " + secret.value().length());
    }

    @Test
    void aLinkKeyIsKnownAgainAfterARestartAndIsNeitherTheSecretNorAnotherSessionsKey() throws Exception {
        Path key = dir.resolve("master.key");
        SessionSecrets first = SessionSecrets.load(key, new SecureRandom());
        String nonce = first.newNonce();
        LinkKey link = first.linkKey(4, nonce);

        SessionSecrets afterRestart = SessionSecrets.load(key, new SecureRandom());
        assertEquals(link, afterRestart.linkKey(4, nonce));
        assertNotEquals(first.derive(4, nonce).value(), link.value(), "the secret does not give the link key");
        assertNotEquals(link, afterRestart.linkKey(5, nonce));
        assertNotEquals(link, afterRestart.linkKey(4, afterRestart.newNonce()));
        assertTrue(link.value().length() >= 43, "256 bits, base64: " + link.value().length());
    }

    @Test
    void theMasterKeyFileIsReadableByItsOwnerOnlyAndALooserOneIsRefused() throws Exception {
        Path key = dir.resolve("master.key");
        SessionSecrets.load(key, new SecureRandom());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> SessionSecrets.load(key, new SecureRandom()));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }
}
