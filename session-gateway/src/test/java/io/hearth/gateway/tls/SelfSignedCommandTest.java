package io.hearth.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls-selfsigned}: files and modes, a chain the JDK's PKIX validation accepts, names, rotation, expiry. */
class SelfSignedCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesACaAndAServerChainThatValidateWithTheHostsAsNamesAndKeysOwnerOnly() throws Exception {
        String printed = Certificates.selfSigned("10.11.12.13", "gateway.example", "::1", "--out", dir.toString());
        for (String f : List.of("ca-key.pem", "server-key.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))), f);
        }
        ServerIdentity server = new PemIdentity(dir.resolve("server.pem"), dir.resolve("server-key.pem")).load();
        X509Certificate ca = new PemIdentity(dir.resolve("ca.pem"), dir.resolve("ca-key.pem")).load().leaf();
        assertEquals(List.of(server.leaf(), ca), server.chain(), "server.pem: the leaf, then the CA");
        validate(server.leaf(), ca, new Date());
        assertEquals(Set.of(List.of(7, "10.11.12.13"), List.of(2, "gateway.example"), List.of(7, "0:0:0:0:0:0:0:1")),
                Set.copyOf(server.leaf().getSubjectAlternativeNames()), "IP and DNS names by argument");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.leaf().getExtendedKeyUsage(), "serverAuth");
        assertEquals(-1, server.leaf().getBasicConstraints(), "not a CA");
        assertEquals(0, ca.getBasicConstraints(), "a CA for servers only");
        for (String line : List.of("hearth.gateway.tls.cert-file=" + dir.resolve("server.pem"),
                "hearth.gateway.tls.key-file=" + dir.resolve("server-key.pem"),
                "HEARTH_GATEWAY_CA_FILE=" + dir.resolve("ca.pem"), "REQUESTS_CA_BUNDLE=" + dir.resolve("ca.pem"))) {
            assertTrue(printed.contains(line), "prints " + line + ":\n" + printed);
        }
    }

    @Test
    void runAgainItKeepsTheCaAndIssuesANewServerCertificate() throws Exception {
        Certificates.selfSigned("127.0.0.1", "--out", dir.toString());
        String ca = Files.readString(dir.resolve("ca.pem"));
        X509Certificate first = new PemIdentity(dir.resolve("server.pem"), dir.resolve("server-key.pem")).load().leaf();
        String printed = Certificates.selfSigned("127.0.0.1", "--out", dir.toString());
        assertTrue(printed.contains("Using the CA in " + dir), printed);
        assertEquals(ca, Files.readString(dir.resolve("ca.pem")));
        ServerIdentity second = new PemIdentity(dir.resolve("server.pem"), dir.resolve("server-key.pem")).load();
        assertNotEquals(first.getSerialNumber(), second.leaf().getSerialNumber(), "a new server certificate");
        validate(second.leaf(), second.chain().get(1), new Date());

        Path elsewhere = dir.resolve("wrong-host");
        Certificates.selfSigned("not-this-host.example", "--out", elsewhere.toString(), "--ca", dir.toString());
        assertTrue(Files.notExists(elsewhere.resolve("ca-key.pem")), "the CA's key stays where it was");
        validate(new PemIdentity(elsewhere.resolve("server.pem"), elsewhere.resolve("server-key.pem")).load().leaf(),
                second.chain().get(1), new Date());
    }

    @Test
    void notBeforeAndDaysMakeAnExpiredCertificateForTests() throws Exception {
        Certificates.selfSigned("127.0.0.1", "--out", dir.toString(), "--not-before", "2020-01-01", "--days", "1");
        ServerIdentity server = new PemIdentity(dir.resolve("server.pem"), dir.resolve("server-key.pem")).load();
        assertEquals(Instant.parse("2020-01-02T00:00:00Z"), server.leaf().getNotAfter().toInstant());
        assertTrue(server.expiredAt(Instant.now()));
        validate(server.leaf(), server.chain().get(1), Date.from(Instant.parse("2020-01-01T12:00:00Z")));
        assertThrows(CertificateExpiredException.class, () -> server.leaf().checkValidity());
    }

    private static void validate(X509Certificate leaf, X509Certificate ca, Date at) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(at);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }
}
