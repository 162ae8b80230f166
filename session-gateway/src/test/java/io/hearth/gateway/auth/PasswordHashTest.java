package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aHashMatchesItsPasswordOnlyAndSurvivesItsTextForm() {
        PasswordHash h = PasswordHash.create("s3cret pässword".toCharArray(), 1_000, random);
        PasswordHash read = PasswordHash.parse(h.encoded());
        assertEquals(h, read);
        assertTrue(read.matches("s3cret pässword".toCharArray()));
        assertFalse(read.matches("s3cret password".toCharArray()));
        assertFalse(read.matches(new char[0]));
        assertTrue(h.encoded().startsWith("pbkdf2-sha256:1000:"), h.encoded());
        assertFalse(h.toString().contains(h.encoded().substring(20)), "toString shows no hash");
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTimeBecauseOfTheSalt() {
        char[] p = "same".toCharArray();
        assertNotEquals(PasswordHash.create(p, 1_000, random).encoded(), PasswordHash.create(p, 1_000, random).encoded());
    }

    @Test
    void malformedTextIsRefusedWithoutRepeatingIt() {
        for (String bad : new String[] {"plaintext-password", "pbkdf2-sha256:x:AA==:AA==", "pbkdf2-sha256:0:AA==:AA==",
                "pbkdf2-sha256:10:not base64!:AA==", "md5:1:AA==:AA=="}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad), bad);
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void tokenHashesAreSha256InHexAndCompareEqualOnlyForTheSameToken() {
        TokenHash t = TokenHash.of("a-long-random-token-value");
        assertTrue(t.encoded().matches("sha256:[0-9a-f]{64}"), t.encoded());
        assertTrue(TokenHash.parse(t.encoded()).matches(t));
        assertFalse(TokenHash.of("a-long-random-token-valuE").matches(t));
        assertThrows(IllegalArgumentException.class, () -> TokenHash.parse("sha256:abcd"));
        assertThrows(IllegalArgumentException.class, () -> TokenHash.parse("a-long-random-token-value"));
    }
}
