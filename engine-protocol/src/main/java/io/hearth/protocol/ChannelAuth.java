package io.hearth.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response on the engine channel: the secret itself never crosses the wire,
 * only an HMAC-SHA256 of a fresh nonce.
 */
public final class ChannelAuth {

    private final SecureRandom random;

    public ChannelAuth(SecureRandom random) {
        this.random = random;
    }

    public ChannelAuth() {
        this(new SecureRandom());
    }

    public String newSecret() {
        return randomToken(32);
    }

    public String newNonce() {
        return randomToken(24);
    }

    public static String mac(String secret, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }

    /** Constant-time comparison, so the answer time says nothing about how much of the MAC was right. */
    public static boolean verify(String secret, String nonce, String mac) {
        if (mac == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, nonce).getBytes(StandardCharsets.US_ASCII),
                mac.getBytes(StandardCharsets.US_ASCII));
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
