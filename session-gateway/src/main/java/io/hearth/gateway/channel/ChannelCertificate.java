package io.hearth.gateway.channel;

import io.hearth.protocol.ChannelFingerprint;
import io.hearth.protocol.ChannelTransport;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's channel certificate: an EC P-256 key and a self-signed certificate, made on the first start and kept
 * in the state directory (the key owner-only), so that engines still running from before a restart find the
 * certificate they pinned. Engines trust it by its fingerprint alone, which their launch names; no certificate
 * authority is involved, and its name and dates mean nothing to them.
 */
public final class ChannelCertificate {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelCertificate.class);

    /** Engines check no dates (they pin); long, so that nothing else that looks at it complains either. */
    private static final Duration VALIDITY = Duration.ofDays(30 * 365);

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ChannelCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * Reads the key and certificate, or makes and writes both when either file is missing (the key file created
     * 0600, before anything is written to it).
     */
    public static ChannelCertificate loadOrCreate(Path keyFile, Path certificateFile, SecureRandom random)
            throws IOException {
        if (Files.exists(keyFile) && Files.exists(certificateFile)) {
            return load(keyFile, certificateFile);
        }
        ChannelCertificate made = make(random);
        // Both owner-only whatever the umask, as everything in the state dir: engines never read them (they pin the
        // fingerprint their launch names).
        for (Path f : List.of(keyFile, certificateFile)) {
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(keyFile, pem(new JcaPKCS8Generator(made.key, null)), StandardCharsets.US_ASCII);
        Files.writeString(certificateFile, pem(made.certificate), StandardCharsets.US_ASCII);
        LOG.info("Made the engine channel's certificate ({}) in {}", made.fingerprint(), certificateFile);
        return made;
    }

    private static ChannelCertificate load(Path keyFile, Path certificateFile) throws IOException {
        String remedy = "; remove " + keyFile + " and " + certificateFile + " to make new ones (engines already"
                + " running then cannot reconnect)";
        try {
            PrivateKey key = new JcaPEMKeyConverter().getPrivateKey(read(keyFile, PrivateKeyInfo.class, remedy));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(read(certificateFile, X509CertificateHolder.class, remedy));
            return new ChannelCertificate(key, certificate);
        } catch (GeneralSecurityException e) {
            throw new IOException("the engine channel's key and certificate cannot be used: " + e.getMessage() + remedy,
                    e);
        }
    }

    private static <T> T read(Path file, Class<T> type, String remedy) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object read = parser.readObject();
            if (!type.isInstance(read)) {
                throw new IOException(file + " does not hold a PEM " + (type == PrivateKeyInfo.class
                        ? "PKCS#8 private key" : "certificate") + remedy);
            }
            return type.cast(read);
        }
    }

    private static ChannelCertificate make(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500Name("CN=Hearth gateway engine channel");
            Instant now = Instant.now();
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new ChannelCertificate(pair.getPrivate(), new JcaX509CertificateConverter().getCertificate(holder));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("EC P-256 keys and ECDSA signatures are part of every Java 17 runtime", e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** What engines pin: given to every launch. */
    public ChannelFingerprint fingerprint() {
        return ChannelFingerprint.of(certificate);
    }

    /** The gateway's side of the channel's TLS 1.3. */
    public SSLContext serverContext() {
        return ChannelTransport.serverContext(key, certificate);
    }
}
