package io.hearth.gateway.tls;

import io.hearth.gateway.config.Settings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A PEM certificate chain (leaf first) and a PEM private key: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA
 * ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}). An encrypted key is refused: the gateway would need
 * its passphrase at every reload, which is no safer than a key file only its account can read.
 */
final class PemIdentity implements IdentitySource {

    private final Path certFile;
    private final Path keyFile;

    PemIdentity(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    @Override
    public List<Path> files() {
        return List.of(certFile, keyFile);
    }

    @Override
    public List<Path> secretFiles() {
        return List.of(keyFile);
    }

    @Override
    public ServerIdentity load() {
        List<X509Certificate> chain = certificates();
        PrivateKey key = privateKey();
        ServerIdentity identity = new ServerIdentity(key, chain);
        if (!identity.keyMatchesLeaf()) {
            throw new IllegalArgumentException(Settings.TLS_KEY_FILE.key() + " " + keyFile + " is not the key of the"
                    + " first certificate in " + Settings.TLS_CERT_FILE.key() + " " + certFile + " ("
                    + identity.leaf().getSubjectX500Principal().getName() + "): give the key the certificate was"
                    + " issued for, and the chain leaf first");
        }
        return identity;
    }

    private List<X509Certificate> certificates() {
        String setting = Settings.TLS_CERT_FILE.key();
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser pem = parser(setting, certFile)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(setting + " " + certFile + " is not a valid PEM certificate chain: "
                    + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(setting + " " + certFile + " holds no certificate (-----BEGIN"
                    + " CERTIFICATE-----)");
        }
        return chain;
    }

    private PrivateKey privateKey() {
        String setting = Settings.TLS_KEY_FILE.key();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser pem = parser(setting, keyFile)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    // The private part alone: SEC1 keys need not carry their public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(setting + " " + keyFile + " is encrypted; the gateway reads"
                            + " unencrypted keys only: decrypt it (openssl pkey -in ENCRYPTED -out " + keyFile
                            + ") and keep it readable by the gateway's account alone (chmod 600)");
                }
                // Anything else (EC PARAMETERS before an EC key, a certificate in the same file) is passed over.
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + keyFile + " is not a valid PEM private key: "
                    + e.getMessage());
        }
        throw new IllegalArgumentException(setting + " " + keyFile + " holds no private key (-----BEGIN PRIVATE"
                + " KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PEMParser parser(String setting, Path file) {
        return new PEMParser(new StringReader(new String(IdentitySource.read(setting, file), StandardCharsets.US_ASCII)));
    }
}
