package io.hearth.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 fingerprint of the gateway's channel certificate, which engines pin: written as
 * {@code openssl x509 -fingerprint -sha256} prints it (upper-case hex pairs joined by colons). Not a secret: it tells
 * an engine which certificate to accept, and nobody can make a certificate to match it.
 */
public record ChannelFingerprint(String value) {

    private static final int BYTES = 32;
    private static final HexFormat PAIRS = HexFormat.ofDelimiter(":").withUpperCase();

    public ChannelFingerprint {
        value = canonical(value);
    }

    /** The fingerprint of {@code certificate}'s DER encoding. */
    public static ChannelFingerprint of(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return new ChannelFingerprint(PAIRS.formatHex(digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and DER encoding are part of every Java 17 runtime", e);
        }
    }

    /** Upper-case pairs with colons, from any case, with or without colons; anything else is refused by what it is. */
    private static String canonical(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no certificate fingerprint");
        }
        String hex = text.trim().replace(":", "").toUpperCase(Locale.ROOT);
        if (hex.length() != 2 * BYTES || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a SHA-256 certificate fingerprint is " + BYTES
                    + " hex pairs (AB:CD:...), not " + text.trim());
        }
        return PAIRS.formatHex(HexFormat.of().parseHex(hex));
    }

    @Override
    public String toString() {
        return "SHA-256 " + value;
    }
}
