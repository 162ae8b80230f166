package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.StubGateway;
import io.hearth.kernel.testing.TestCertificates;
import io.hearth.kernel.testing.TestCertificates.Issued;
import io.hearth.kernel.testing.WiredKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel talks to an https:// gateway only when its certificate checks out against the JDK's CAs plus the CA file
 * (config file or environment), for the host the URL names, and in date; otherwise the first cell fails with a
 * message naming the problem and what to do. The TLS peer is a real HTTPS server (StubGateway on the JDK's
 * HttpsServer, certificates made by the test): every check happens in the handshake, before any gateway logic.
 */
class KernelChecksTheGatewayCertificateTest {

    private static Issued ca;
    private static Issued otherCa;

    @TempDir
    Path temp;

    @BeforeAll
    static void makeCas() throws Exception {
        ca = TestCertificates.ca("Hearth test CA");
        otherCa = TestCertificates.ca("Some other CA");
    }

    private static StubGateway https(Issued server) throws Exception {
        return new StubGateway(TestCertificates.serverContext(server, ca));
    }

    private static StubGateway httpsFor(String... names) throws Exception {
        return https(TestCertificates.server(ca, names));
    }

    /** Settings as a kernel resolves them from {@code env} and the config file {@code config} (JSON), if given. */
    private GatewaySettings settings(String config, String... env) throws Exception {
        Map<String, String> map = new HashMap<>();
        Path file = temp.resolve("kernel-config.json");
        map.put("HEARTH_KERNEL_CONFIG", file.toString());
        if (config != null) {
            Files.writeString(file, config);
        }
        for (int i = 0; i < env.length; i += 2) {
            map.put(env[i], env[i + 1]);
        }
        return GatewaySettings.resolve(map);
    }

    private Path pem(String name, Issued... certificates) throws Exception {
        return TestCertificates.writePem(temp.resolve(name), java.util.Arrays.stream(certificates)
                .map(Issued::certificate).toArray(java.security.cert.X509Certificate[]::new));
    }

    private static String firstResult(WiredKernel kernel, String code) throws Exception {
        WiredKernel.Executed done = kernel.execute(code);
        assertEquals("ok", done.reply().get("status").getAsString(), done.reply().toString());
        return done.results().get(0).get("text/plain").getAsString();
    }

    /** The first cell's error as the notebook shows it: the ename and the traceback's lines. */
    private static Map.Entry<String, String> firstCellError(GatewaySettings settings) throws Exception {
        try (WiredKernel kernel = new WiredKernel(settings, StatementKind.PYSPARK)) {
            JsonObject reply = kernel.execute("1 + 1").reply();
            assertEquals("error", reply.get("status").getAsString(), reply.toString());
            JsonArray traceback = reply.getAsJsonArray("traceback");
            String text = StreamSupport.stream(traceback.spliterator(), false).map(e -> e.getAsString())
                    .collect(Collectors.joining("\n"));
            assertFalse(text.contains("at io.hearth") || text.contains("at java."), text);
            return Map.entry(reply.get("ename").getAsString(), text);
        }
    }

    @Test
    void aCaFileInTheConfigFileLetsCellsRunOverHttps() throws Exception {
        pem("ca.pem", ca);
        try (StubGateway gateway = httpsFor("localhost", "127.0.0.1")) {
            // A relative ca_file is found beside the config file.
            GatewaySettings settings = settings("{\"gateway_url\": \"" + gateway.url("localhost") + "\", \"ca_file\": \"ca.pem\"}");
            assertEquals(temp.resolve("ca.pem"), settings.caFile().orElseThrow().path());
            try (WiredKernel kernel = new WiredKernel(settings, StatementKind.PYSPARK)) {
                assertEquals("pyspark: 1 + 1", firstResult(kernel, "1 + 1"));
                assertEquals("pyspark: 2 + 2", firstResult(kernel, "2 + 2"));
            }
            assertEquals(1, gateway.requests("POST", "/sessions").stream().filter(r -> r.path().equals("/sessions")).count());
        }
    }

    @Test
    void theEnvironmentsCaFileWinsOverTheConfigFiles() throws Exception {
        Path wrong = pem("other.pem", otherCa);
        Path right = pem("bundle.pem", otherCa, ca);
        try (StubGateway gateway = httpsFor("127.0.0.1")) {
            GatewaySettings settings = settings("{\"ca_file\": \"" + wrong + "\"}",
                    "HEARTH_GATEWAY_URL", gateway.url(), "HEARTH_GATEWAY_CA_FILE", right.toString());
            assertEquals(new CaFile(right, "HEARTH_GATEWAY_CA_FILE"), settings.caFile().orElseThrow());
            try (WiredKernel kernel = new WiredKernel(settings, StatementKind.SQL)) {
                assertEquals("sql: SELECT 1", firstResult(kernel, "SELECT 1"));
            }
        }
    }

    @Test
    void aCertificateFromAnUnknownCaFailsTheFirstCellSayingWhereToPutTheCa() throws Exception {
        try (StubGateway gateway = httpsFor("127.0.0.1")) {
            Map.Entry<String, String> error = firstCellError(settings(null, "HEARTH_GATEWAY_URL", gateway.url()));
            assertEquals("GatewayTlsError", error.getKey());
            String text = error.getValue();
            assertTrue(text.contains("GatewayTlsError: The Hearth gateway at " + gateway.url() + " presented a certificate"
                    + " for 127.0.0.1 issued by CN=Hearth test CA, a CA this kernel does not trust."), text);
            assertTrue(text.contains("no CA file is set"), text);
            assertTrue(text.contains("HEARTH_GATEWAY_CA_FILE") && text.contains("\"ca_file\"")
                    && text.contains("bin/hearth kernel install --ca-file FILE"), text);

            Path other = pem("other.pem", otherCa);
            text = firstCellError(settings(null, "HEARTH_GATEWAY_URL", gateway.url(),
                    "HEARTH_GATEWAY_CA_FILE", other.toString())).getValue();
            assertTrue(text.contains("Neither the JDK's trusted CAs nor the CA file " + other
                    + " (HEARTH_GATEWAY_CA_FILE) hold that CA."), text);
        }
    }

    @Test
    void aCertificateForAnotherHostSaysWhichNamesItIsFor() throws Exception {
        Path caFile = pem("ca.pem", ca);
        try (StubGateway gateway = httpsFor("gateway.example", "gw.example", "10.1.2.3")) {
            Map.Entry<String, String> error = firstCellError(settings(null, "HEARTH_GATEWAY_URL", gateway.url(),
                    "HEARTH_GATEWAY_CA_FILE", caFile.toString()));
            assertEquals("GatewayTlsError", error.getKey());
            assertTrue(error.getValue().contains("The certificate of the Hearth gateway at " + gateway.url()
                    + " is for gateway.example, gw.example, 10.1.2.3, not for 127.0.0.1."), error.getValue());
            assertTrue(error.getValue().contains("HEARTH_GATEWAY_URL"), "says where the URL came from: " + error.getValue());
        }
    }

    @Test
    void anExpiredOrNotYetValidCertificateSaysWhen() throws Exception {
        Path caFile = pem("ca.pem", ca);
        Instant expiry = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        try (StubGateway gateway = https(TestCertificates.server(ca, expiry.minus(Duration.ofDays(30)), expiry,
                "127.0.0.1"))) {
            Map.Entry<String, String> error = firstCellError(settings(null, "HEARTH_GATEWAY_URL", gateway.url(),
                    "HEARTH_GATEWAY_CA_FILE", caFile.toString()));
            assertEquals("GatewayTlsError", error.getKey());
            assertTrue(error.getValue().contains("The certificate (CN=127.0.0.1) of the Hearth gateway at "
                    + gateway.url() + " expired on " + expiry + "."), error.getValue());
        }
        Instant start = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        try (StubGateway gateway = https(TestCertificates.server(ca, start, start.plus(Duration.ofDays(30)),
                "127.0.0.1"))) {
            GatewaySettings settings = settings(null, "HEARTH_GATEWAY_URL", gateway.url(),
                    "HEARTH_GATEWAY_CA_FILE", caFile.toString());
            GatewayTlsException e = tlsFailure(settings);
            assertEquals(GatewayTlsException.Problem.NOT_YET_VALID, e.problem());
            assertTrue(e.getMessage().contains("is not valid before " + start), e.getMessage());
        }
    }

    @Test
    void anHttpsUrlToAPlainHttpGatewaySaysItSpeaksPlainHttp() throws Exception {
        try (StubGateway gateway = new StubGateway()) {
            String url = gateway.url().replace("http://", "https://");
            GatewayTlsException e = tlsFailure(settings(null, "HEARTH_GATEWAY_URL", url));
            assertEquals(GatewayTlsException.Problem.PLAIN_HTTP, e.problem());
            assertEquals("The Hearth gateway at " + url + " speaks plain HTTP, not HTTPS.", e.getMessage());
            assertTrue(String.join("\n", e.advice()).contains("use " + gateway.url() + " as the gateway URL"
                    + " (HEARTH_GATEWAY_URL)"), e.advice().toString());
        }
    }

    @Test
    void anHttpUrlToAnHttpsGatewaySaysItSpeaksHttps() throws Exception {
        try (StubGateway gateway = httpsFor("127.0.0.1")) {
            String url = gateway.url().replace("https://", "http://");
            Map.Entry<String, String> error = firstCellError(settings("{\"gateway_url\": \"" + url + "\"}"));
            assertEquals("GatewayTlsError", error.getKey());
            assertTrue(error.getValue().contains("The Hearth gateway at " + url + " speaks HTTPS, not plain HTTP."),
                    error.getValue());
            assertTrue(error.getValue().contains("Use " + gateway.url() + " as the gateway URL (gateway_url in "
                    + temp.resolve("kernel-config.json") + ")."), error.getValue());
        }
    }

    @Test
    void anUnusableCaFileFailsTheFirstCellNamingTheFile() throws Exception {
        Path missing = temp.resolve("missing.pem");
        Path notPem = Files.writeString(temp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n");
        Path broken = Files.writeString(temp.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        try (StubGateway gateway = httpsFor("127.0.0.1")) {
            Map.Entry<String, String> error = firstCellError(settings("{\"ca_file\": \"missing.pem\"}",
                    "HEARTH_GATEWAY_URL", gateway.url()));
            assertEquals("GatewayTlsError", error.getKey());
            assertTrue(error.getValue().contains("The CA file " + missing + " (ca_file in "
                    + temp.resolve("kernel-config.json") + ") cannot be used: there is no such file."), error.getValue());

            Map<Path, String> reasons = Map.of(notPem, "it holds no certificate in PEM form",
                    broken, "its certificate number 1 is not a valid X.509 certificate",
                    temp, "it cannot be read");
            for (Map.Entry<Path, String> bad : reasons.entrySet()) {
                GatewayTlsException e = tlsFailure(settings(null, "HEARTH_GATEWAY_URL", gateway.url(),
                        "HEARTH_GATEWAY_CA_FILE", bad.getKey().toString()));
                assertEquals(GatewayTlsException.Problem.CA_FILE, e.problem());
                assertTrue(e.getMessage().startsWith("The CA file " + bad.getKey() + " (HEARTH_GATEWAY_CA_FILE) cannot"
                        + " be used: " + bad.getValue()), e.getMessage());
            }
            assertEquals(List.of(), gateway.requests(), "nothing was sent with an unusable CA file");
        }
    }

    /** The TLS failure of the first call a client with {@code settings} makes. */
    private static GatewayTlsException tlsFailure(GatewaySettings settings) throws Exception {
        try (GatewayClient client = new GatewayClient(settings)) {
            return assertInstanceOf(GatewayTlsException.class, assertThrows(GatewayException.class,
                    client::listSessions));
        }
    }
}
