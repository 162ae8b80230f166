package io.hearth.gateway.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** What the gateway proves itself with: a private key and its certificate chain, leaf first, checked to belong together. */
public record ServerIdentity(PrivateKey key, List<X509Certificate> chain) {

    public ServerIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Whether the leaf's validity has ended at {@code now}: clients will refuse it. */
    public boolean expiredAt(Instant now) {
        return leaf().getNotAfter().toInstant().isBefore(now);
    }

    /** Whether the leaf is not valid yet at {@code now} (a clock behind the issuer's): clients will refuse it until then. */
    public boolean notYetValidAt(Instant now) {
        return leaf().getNotBefore().toInstant().isAfter(now);
    }

    /** The leaf in a line for the log: subject, serial and validity (nothing secret). */
    public String describe() {
        X509Certificate c = leaf();
        return "certificate " + c.getSubjectX500Principal().getName() + " serial " + c.getSerialNumber().toString(16)
                + ", valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant();
    }

    /**
     * Whether the key is the leaf's: a signature made with the key verifies with the leaf's public key. A key type the
     * JDK cannot sign with counts as not matching.
     */
    public boolean keyMatchesLeaf() {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf().getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
