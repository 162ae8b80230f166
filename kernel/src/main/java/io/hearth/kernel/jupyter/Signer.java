package io.hearth.kernel.jupyter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs and checks Jupyter messages with the connection file's HMAC key (no key: no signing, as Jupyter allows). */
public final class Signer {

    private final SecretKeySpec key;
    private final String algorithm;

    /** A signer for {@code scheme} (e.g. {@code hmac-sha256}) and {@code key}; an empty key disables signing. */
    public Signer(String scheme, String key) throws GeneralSecurityException {
        if (!scheme.startsWith("hmac-")) {
            throw new NoSuchAlgorithmException("unsupported signature scheme " + scheme);
        }
        this.algorithm = "Hmac" + scheme.substring("hmac-".length()).toUpperCase(java.util.Locale.ROOT);
        Mac.getInstance(algorithm); // fails now, not on the first message, for an unknown algorithm
        this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm);
    }

    /** The hex signature of the four signed frames (header, parent header, metadata, content). */
    public String sign(List<byte[]> frames) {
        if (key == null) {
            return "";
        }
        return HexFormat.of().formatHex(mac(frames));
    }

    /** Whether {@code signature} is right for {@code frames}; compared in constant time. */
    public boolean verify(byte[] signature, List<byte[]> frames) {
        if (key == null) {
            return true;
        }
        byte[] expected = HexFormat.of().formatHex(mac(frames)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private byte[] mac(List<byte[]> frames) {
        try {
            // A Mac is not thread-safe and cheap to create; each call gets its own.
            Mac mac = Mac.getInstance(algorithm);
            mac.init(key);
            frames.forEach(mac::update);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC became unavailable after it was checked", e);
        }
    }
}
