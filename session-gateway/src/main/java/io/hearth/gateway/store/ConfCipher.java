package io.hearth.gateway.store;

import io.hearth.gateway.session.ConfRedaction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the values of secret Spark settings ({@link ConfRedaction#isSecret}) before the state store writes them,
 * and decrypts them when it reads them back for the engine: AES-256-GCM with a key derived from the gateway's master
 * key, a random nonce per value, and the setting's key as associated data, so that a value moved to another key, or
 * altered, fails to decrypt instead of being used.
 */
public final class ConfCipher {

    /** Marks a stored value as encrypted; a value without it (written by an older gateway) is read as it is. */
    static final String PREFIX = "hearth-aes-gcm:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    /** @param key 32 bytes, the store's own key (not the master key itself) */
    public ConfCipher(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the state store key must have 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
    }

    /** {@code conf} as stored: every secret value encrypted, the others as they are. */
    public Map<String, String> seal(Map<String, String> conf) {
        Map<String, String> sealed = new LinkedHashMap<>();
        conf.forEach((k, v) -> sealed.put(k, ConfRedaction.isSecret(k) && v != null ? encrypt(k, v) : v));
        return sealed;
    }

    /** {@code conf} as it was before {@link #seal}. */
    public Map<String, String> open(Map<String, String> stored) {
        Map<String, String> opened = new LinkedHashMap<>();
        stored.forEach((k, v) -> opened.put(k, v != null && v.startsWith(PREFIX) ? decrypt(k, v) : v));
        return opened;
    }

    private String encrypt(String confKey, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, nonce, confKey);
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
        }
    }

    private String decrypt(String confKey, String stored) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new StateStoreException("the stored value of " + confKey + " is damaged (not base64)", e);
        }
        if (in.length <= NONCE_BYTES) {
            throw new StateStoreException("the stored value of " + confKey + " is damaged (too short)", null);
        }
        try {
            byte[] nonce = java.util.Arrays.copyOf(in, NONCE_BYTES);
            Cipher c = cipher(Cipher.DECRYPT_MODE, nonce, confKey);
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // Key names only: the value is what must not leak.
            throw new StateStoreException("the stored value of " + confKey + " cannot be decrypted with this gateway's"
                    + " master key (was master.key replaced?)", e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String confKey) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(confKey.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
