package io.hearth.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a bearer token, written {@code sha256:<hex>}. A token is a long random string, not something a person
 * chose, so one fast unsalted hash is enough: guessing a 128-bit token from its hash is as hopeless as guessing it
 * outright, and a tokens file holds nothing that opens the gateway.
 */
public record TokenHash(byte[] digest) {

    public static final String SCHEME = "sha256";

    /** Shorter tokens could be guessed, hash or no hash. */
    public static final int MIN_TOKEN_LENGTH = 20;

    public TokenHash {
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        digest = digest.clone();
    }

    public static TokenHash of(String token) {
        try {
            return new TokenHash(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Reads {@link #encoded()} text. */
    public static TokenHash parse(String text) {
        String prefix = SCHEME + ":";
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException("expected " + SCHEME + ":<64 hex digits>"
                    + " (make one with: hearth-gateway hash-token USER)");
        }
        try {
            return new TokenHash(HexFormat.of().parseHex(text.substring(prefix.length())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + SCHEME + " token hash: " + e.getMessage());
        }
    }

    /** Constant time, so the answer's timing does not reveal how many leading bytes matched. */
    public boolean matches(TokenHash other) {
        return MessageDigest.isEqual(digest, other.digest);
    }

    public String encoded() {
        return SCHEME + ":" + HexFormat.of().formatHex(digest);
    }

    @Override
    public byte[] digest() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenHash t && MessageDigest.isEqual(t.digest, digest);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "TokenHash[" + SCHEME + "]";
    }
}
