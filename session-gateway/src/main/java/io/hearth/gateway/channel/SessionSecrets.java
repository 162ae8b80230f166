package io.hearth.gateway.channel;

import io.hearth.protocol.LinkKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Session secrets derived from one gateway master key: secret = HMAC-SHA256(master key, session id and a random
 * nonce). The state store keeps only the nonce, so a copy of the store alone does not let anyone pose as an engine;
 * the key sits beside it in a file only this user can read. Each session's engine link key is derived the same way
 * under a key of its own (see {@link #linkKey}).
 */
public final class SessionSecrets {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 16;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] masterKey;
    /** Derived from the master key for link keys alone, so that neither a secret nor a link key tells of the other. */
    private final byte[] linkKeys;
    private final SecureRandom random;

    SessionSecrets(byte[] masterKey, SecureRandom random) {
        if (masterKey.length < KEY_BYTES) {
            throw new IllegalArgumentException("the master key must have at least " + KEY_BYTES + " bytes");
        }
        this.masterKey = masterKey.clone();
        this.linkKeys = hmac(this.masterKey, "hearth engine link keys");
        this.random = random;
    }

    /** Reads the master key from {@code file}, creating it (owner-only, 0600) with a fresh random key the first time. */
    public static SessionSecrets load(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[KEY_BYTES];
            random.nextBytes(key);
            try {
                // Created with its permissions, so there is no moment when another user could read it.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException raced) {
                // another start wrote it first: read that one
            }
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            throw new IOException("the gateway master key " + file + " must be readable by its owner only (chmod 600)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException("the gateway master key " + file + " is damaged (not base64); remove it to make a new"
                    + " one (running sessions then cannot reconnect)");
        }
        return new SessionSecrets(key, random);
    }

    /** A fresh nonce for a new session: stored, unlike the secret. */
    public String newNonce() {
        byte[] b = new byte[NONCE_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * The key the state store encrypts secret settings with: derived from the master key for that one use, so that
     * neither key tells anything about the other.
     */
    public byte[] stateStoreKey() {
        return hmac(masterKey, "hearth state store settings key");
    }

    /** The secret of session {@code sessionId}: the same for the same id and nonce, across restarts. */
    public SessionSecret derive(int sessionId, String nonce) {
        byte[] out = hmac(masterKey, sessionId + ":" + nonce);
        return new SessionSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(out));
    }

    /**
     * The link key of session {@code sessionId}'s engine: the gateway gives it to the engine's first accepted connection
     * and requires it of every later one. Derived, not stored, so that a restarted gateway knows it again, while a copy
     * of the secret (all a launch hands over) does not give it.
     */
    public LinkKey linkKey(int sessionId, String nonce) {
        byte[] out = hmac(linkKeys, sessionId + ":" + nonce);
        return new LinkKey(Base64.getUrlEncoder().withoutPadding().encodeToString(out));
    }

    private static byte[] hmac(byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
