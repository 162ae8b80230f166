package io.hearth.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Gateway;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.auth.Tee;
import io.hearth.gateway.auth.TokenHash;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One gateway serving its API over HTTPS with token authentication, certificates from {@code tls-selfsigned}, and the
 * JDK's HttpClient and SSLSocket trusting only the CA made: what is served, what is refused, and a rotation. No Spark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpsTest {

    private static final String TOKEN = "https-test-token-0123456789abcdef";

    private Path tls;
    private Gateway gateway;
    private TlsClient client;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, logged), true, StandardCharsets.UTF_8));
        tls = Certificates.forLoopback(dir.resolve("tls"));
        Path tokens = Files.writeString(dir.resolve("tokens"), "alice:" + TokenHash.of(TOKEN).encoded() + "\n");
        gateway = Gateway.start(TestConfig.of(Files.writeString(dir.resolve("not-an-engine.jar"), "-"), "python3")
                .with(Settings.STATE_DIR, dir.resolve("state")).with(Settings.SPARK_HOME, dir)
                .withAuth(new AuthSettings(Set.of(AuthSettings.Method.TOKEN), tokens, null, Set.of(), false, false))
                .with(Settings.TLS_CERT_FILE, tls.resolve("server.pem"))
                .with(Settings.TLS_KEY_FILE, tls.resolve("server-key.pem")).build());
        client = new TlsClient(tls.resolve("ca.pem"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        System.setErr(originalErr);
    }

    @Test
    @Order(1)
    void theApiIsServedOverHttpsToCallersWithAToken() throws Exception {
        assertTrue(gateway.baseUrl().startsWith("https://127.0.0.1:"), gateway.baseUrl());
        HttpClient http = client.http();
        assertEquals(401, http.send(get("/sessions").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> sessions = http.send(get("/sessions").header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, sessions.statusCode(), sessions.body());
        assertTrue(sessions.body().contains("\"sessions\""), sessions.body());
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("REST on " + gateway.baseUrl()),
                "the start line says https");
    }

    @Test
    @Order(2)
    void plainHttpToTheHttpsPortGetsA400NamingTheHttpsUrlAndIsNeverServed() throws Exception {
        String plain = "http://127.0.0.1:" + gateway.port();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plain + "/sessions"))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        // With the token the API would answer 200: a 400 is the refusal, whatever the request.
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("use https://127.0.0.1:" + gateway.port() + "/"), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));

        // Neither TLS nor HTTP: closed at once rather than left hanging.
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(new byte[] {0, 1, 2, 3, 'x', '\n'});
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the connection is closed without an answer");
        }
    }

    @Test
    @Order(3)
    void onlyTls13AndTls12WithForwardSecrecyAndAeadAreNegotiated() throws Exception {
        assertEquals("TLSv1.3", client.handshake(gateway.port(), new String[] {"TLSv1.3", "TLSv1.2"}).protocol());
        TlsClient.Handshake tls12 = client.handshake(gateway.port(), new String[] {"TLSv1.2"});
        assertEquals("TLSv1.2", tls12.protocol());
        assertTrue(tls12.cipherSuite().matches("TLS_ECDHE_\\w+_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"),
                tls12.cipherSuite());
        // Suites the JDK client offers by default but the gateway must not take: CBC with HMAC (no AEAD).
        for (String cbc : new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"}) {
            assertThrows(SSLHandshakeException.class,
                    () -> client.handshake(gateway.port(), new String[] {"TLSv1.2"}, cbc), cbc);
        }
    }

    /** Last: it changes the certificate the others check against (same CA, so they would pass anyway). */
    @Test
    @Order(10)
    void aRotatedCertificateReachesNewConnectionsWithoutARestartAndAHalfWrittenPairKeepsTheOld() throws Exception {
        String before = client.servedSerial(gateway.port());
        Path next = Certificates.forLoopback(tls.resolveSibling("next"), "--ca", tls.toString());
        // Half a rotation: the new key is there, its certificate not yet.
        Certificates.replace(next.resolve("server-key.pem"), tls.resolve("server-key.pem"));
        awaitLogged("New TLS files not used, the current certificate is kept");
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("is not the key of the first certificate"),
                "the log says what is wrong");
        assertEquals(before, client.servedSerial(gateway.port()), "the old pair is still served");

        Certificates.replace(next.resolve("server.pem"), tls.resolve("server.pem"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String served = before;
        while (served.equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = client.servedSerial(gateway.port());
        }
        assertNotEquals(before, served, "a new connection gets the new certificate");
        assertEquals(new PemIdentity(tls.resolve("server.pem"), tls.resolve("server-key.pem")).load().leaf()
                .getSerialNumber().toString(16), served);
        HttpResponse<String> after = client.http().send(get("/sessions").header("Authorization", "Bearer " + TOKEN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private void awaitLogged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!logged.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not logged within 15 s: " + text);
            }
            Thread.sleep(100);
        }
    }
}
