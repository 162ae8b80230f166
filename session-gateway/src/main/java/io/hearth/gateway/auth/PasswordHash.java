package io.hearth.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, written {@code pbkdf2-sha256:<iterations>:<salt>:<hash>} (salt and hash in
 * base64): slow on purpose, so a stolen users file costs an attacker that many HMACs per guess.
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    public static final String SCHEME = "pbkdf2-sha256";

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; the count is stored per line, so it can grow later. */
    public static final int DEFAULT_ITERATIONS = 600_000;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    public PasswordHash {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A new hash of {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations));
    }

    /** Reads {@link #encoded()} text; the message says what is wrong, never the text itself. */
    public static PasswordHash parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException("expected " + SCHEME + ":<iterations>:<salt>:<hash>"
                    + " (make one with: hearth-gateway hash-password USER)");
        }
        try {
            return new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
                    Base64.getDecoder().decode(parts[3]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + SCHEME + " hash: " + e.getMessage());
        }
    }

    /** Whether {@code password} hashes to this hash; the comparison takes the same time wherever they differ. */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    public String encoded() {
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * iterations + Arrays.hashCode(salt)) + Arrays.hashCode(hash);
    }

    /** Never the hash: even a hash is worth keeping out of logs. */
    @Override
    public String toString() {
        return "PasswordHash[" + SCHEME + ", " + iterations + " iterations]";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks PBKDF2WithHmacSHA256, which every Java 17 has", e);
        } finally {
            spec.clearPassword();
        }
    }
}
