package io.hearth.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Gateway;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.auth.ListenPolicy;
import io.hearth.gateway.auth.Tee;
import io.hearth.gateway.auth.TokenHash;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the gateway does with the key material it is given at start: the forms it reads, the mistakes that stop it
 * (each named with its file), an expired certificate, a PKCS#12 keystore, and where it may listen without TLS. A
 * gateway starts only where the case is one that starts; the others stop before anything listens. No Spark.
 */
class HttpsStartTest {

    private static final String TOKEN = "https-start-token-0123456789abcdef";

    @TempDir
    Path dir;
    private Path tls;
    private Path tokens;
    private Path notAJar;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void certificates() throws IOException {
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, logged), true, StandardCharsets.UTF_8));
        tls = Certificates.forLoopback(dir.resolve("tls"));
        tokens = Files.writeString(dir.resolve("tokens"), "alice:" + TokenHash.of(TOKEN).encoded() + "\n");
        notAJar = Files.writeString(dir.resolve("not-an-engine.jar"), "-");
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStartNamingBothFiles() throws Exception {
        Path other = Certificates.forLoopback(dir.resolve("other"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gateway.start(
                pem(tls.resolve("server.pem"), other.resolve("server-key.pem")).build()));
        assertTrue(e.getMessage().contains(other.resolve("server-key.pem") + " is not the key of the first certificate"
                + " in hearth.gateway.tls.cert-file " + tls.resolve("server.pem")), e.getMessage());
    }

    @Test
    void aMissingOrNonPemFileStopsTheStartSayingWhichAndWhy() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Gateway.start(
                pem(tls.resolve("server.pem"), dir.resolve("nowhere.pem")).build()));
        assertEquals("hearth.gateway.tls.key-file " + dir.resolve("nowhere.pem") + ": no such file",
                missing.getMessage());
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "a certificate, surely\n");
        IllegalArgumentException noCertificate = assertThrows(IllegalArgumentException.class, () -> Gateway.start(
                pem(notPem, tls.resolve("server-key.pem")).build()));
        assertTrue(noCertificate.getMessage().startsWith("hearth.gateway.tls.cert-file " + notPem
                + " holds no certificate"), noCertificate.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> Gateway.start(
                pem(tls.resolve("server.pem"), tls.resolve("ca.pem")).build()));
        assertTrue(noKey.getMessage().startsWith("hearth.gateway.tls.key-file " + tls.resolve("ca.pem")
                + " holds no private key"), noKey.getMessage());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () -> TestConfig.of(notAJar,
                "python3").with(Settings.TLS_CERT_FILE, tls.resolve("server.pem")).build());
        assertTrue(alone.getMessage().contains("go together"), alone.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefusedSayingHowToDecryptIt() throws Exception {
        ServerIdentity identity = new PemIdentity(tls.resolve("server.pem"), tls.resolve("server-key.pem")).load();
        char[] passphrase = "a passphrase".toCharArray();
        Path pkcs8 = write("encrypted-pkcs8.pem", new JcaPKCS8Generator(identity.key(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setPassword(passphrase)
                        .setProvider(new BouncyCastleProvider()).build()));
        StringWriter traditional = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(traditional)) {
            w.writeObject(identity.key(), new JcePEMEncryptorBuilder("AES-128-CBC")
                    .setProvider(new BouncyCastleProvider()).build(passphrase));
        }
        Path openssl = Files.writeString(dir.resolve("encrypted-sec1.pem"), traditional.toString());
        for (Path key : new Path[] {pkcs8, openssl}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PemIdentity(tls.resolve("server.pem"), key).load());
            assertTrue(e.getMessage().contains(key + " is encrypted") && e.getMessage().contains("openssl pkey"),
                    e.getMessage());
        }
    }

    @Test
    void keysInPkcs1AndSec1FormsAreReadAsWellAsPkcs8() throws Exception {
        ServerIdentity ec = new PemIdentity(tls.resolve("server.pem"), tls.resolve("server-key.pem")).load();
        assertTrue(Files.readString(tls.resolve("server-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        // As openssl writes it: the curve and the public key inside the EC PRIVATE KEY structure.
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(ec.key().getEncoded());
        Path sec1 = write("ec.pem", new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                ((ECPrivateKey) ec.key()).getS(), SubjectPublicKeyInfo.getInstance(ec.leaf().getPublicKey().getEncoded())
                .getPublicKeyData(), pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded()));
        assertTrue(Files.readString(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----"), Files.readString(sec1));
        assertTrue(new PemIdentity(tls.resolve("server.pem"), sec1).load().keyMatchesLeaf());

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair keys = rsa.generateKeyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = new X500Name("CN=rsa.test");
        Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(new SecureRandom().nextLong()).abs(), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Path rsaCert = write("rsa-cert.pem", cert);
        Path pkcs1 = write("rsa-key.pem", keys.getPrivate());
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"), Files.readString(pkcs1));
        assertEquals("RSA", new PemIdentity(rsaCert, pkcs1).load().key().getAlgorithm());
    }

    @Test
    void aPkcs12KeystoreServesHttpsAndAWrongPasswordStopsTheStartWithoutShowingIt() throws Exception {
        ServerIdentity identity = new PemIdentity(tls.resolve("server.pem"), tls.resolve("server-key.pem")).load();
        String password = "keystore-password-4711";
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gateway", identity.key(), password.toCharArray(), identity.chain().toArray(new Certificate[0]));
        Path keystore = dir.resolve("gateway.p12");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            store.store(out, password.toCharArray());
        }
        Path passwordFile = Files.writeString(dir.resolve("keystore-password"), password + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
        TestConfig config = base().with(Settings.TLS_KEYSTORE_FILE, keystore);
        try (Gateway g = Gateway.start(config.with(Settings.TLS_KEYSTORE_PASSWORD_FILE, passwordFile).build())) {
            assertEquals(identity.leaf().getSerialNumber().toString(16),
                    new TlsClient(tls.resolve("ca.pem")).servedSerial(g.port()));
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains(passwordFile + " can be read by other users"),
                    "a password file others can read is warned about");
        }
        Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-" + password + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gateway.start(
                config.with(Settings.TLS_KEYSTORE_PASSWORD_FILE, wrong).build()));
        assertTrue(e.getMessage().startsWith("hearth.gateway.tls.keystore-file " + keystore + " cannot be opened: the"
                + " wrong password (hearth.gateway.tls.keystore-password-file)"), e.getMessage());
        assertFalse(e.getMessage().contains(password) || logged.toString(StandardCharsets.UTF_8).contains(password),
                "the password is neither in the message nor in the log");
    }

    @Test
    void anExpiredCertificateIsServedWithAWarningAndClientsRefuseItThemselves() throws Exception {
        Path expired = Certificates.forLoopback(dir.resolve("expired"), "--not-before", "2020-01-01", "--days", "1");
        try (Gateway g = Gateway.start(pem(expired.resolve("server.pem"), expired.resolve("server-key.pem")).build())) {
            assertTrue(logged.toString(StandardCharsets.UTF_8).contains("has EXPIRED"), "warned in the log");
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                    () -> new TlsClient(expired.resolve("ca.pem")).servedSerial(g.port()));
            assertTrue(causes(e, CertificateExpiredException.class), "the client names the expiry: " + e);
        }
    }

    @Test
    void beyondLoopbackWithAuthenticationPlainHttpIsRefusedUnlessAllowedWhileHttpsIsFine() throws Exception {
        TestConfig everywhere = base().with(Settings.HOST, "0.0.0.0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gateway.start(everywhere.build()));
        assertTrue(e.getMessage().startsWith("refusing to listen on 0.0.0.0 (0.0.0.0) with authentication but without"
                + " TLS"), e.getMessage());
        assertTrue(e.getMessage().contains("hearth.gateway.tls.cert-file")
                && e.getMessage().contains("hearth.gateway.allow-plain-http=true"), e.getMessage());
        // With TLS, or the opt-in, the policy lets it listen there (AuthenticationTest starts with the opt-in; no
        // test listens beyond loopback).
        GatewayConfig withTls = everywhere.with(Settings.TLS_CERT_FILE, tls.resolve("server.pem"))
                .with(Settings.TLS_KEY_FILE, tls.resolve("server-key.pem")).build();
        ListenPolicy.check("0.0.0.0", withTls.auth(), withTls.tls());
        GatewayConfig optIn = everywhere.with(Settings.ALLOW_PLAIN_HTTP, true).build();
        ListenPolicy.check("0.0.0.0", optIn.auth(), optIn.tls());
        assertTrue(ListenPolicy.exposedInClear("0.0.0.0", optIn.auth(), optIn.tls()), "which is warned about");
        assertFalse(ListenPolicy.exposedInClear("127.0.0.1", optIn.auth(), optIn.tls()), "loopback stays plain");
        // The settings can come from the environment under the names the docs give.
        GatewayConfig fromEnv = GatewayConfig.resolve(Map.of(), Map.of("HEARTH_GATEWAY_TLS_CERT_FILE",
                tls.resolve("server.pem").toString(), "HEARTH_GATEWAY_TLS_KEY_FILE",
                tls.resolve("server-key.pem").toString()), new Properties());
        assertTrue(fromEnv.tls().enabled());
    }

    private TestConfig base() throws IOException {
        // A Spark home given: no Python is run to find one, as no session starts here.
        return TestConfig.of(notAJar, "python3").with(Settings.STATE_DIR, Files.createTempDirectory(dir, "state-"))
                .with(Settings.SPARK_HOME, dir)
                .withAuth(new AuthSettings(Set.of(AuthSettings.Method.TOKEN), tokens, null, Set.of(), false, false));
    }

    private TestConfig pem(Path cert, Path key) throws IOException {
        return base().with(Settings.TLS_CERT_FILE, cert).with(Settings.TLS_KEY_FILE, key);
    }

    private Path write(String name, Object pemObject) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pemObject);
        }
        return Files.writeString(dir.resolve(name), out.toString());
    }

    private static boolean causes(Throwable t, Class<? extends Throwable> type) {
        for (; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
