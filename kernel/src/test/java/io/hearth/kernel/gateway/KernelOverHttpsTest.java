package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.execution.CellRunner;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.RealGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.Cancellable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel against a real gateway serving HTTPS with token authentication (certificates from the gateway's own
 * {@code tls-selfsigned}, for {@code localhost} only) and a real engine: cells run (the kernel's cell path without
 * its ZeroMQ side, so that a slow Spark start meets no Jupyter client timeout), and every path of the client
 * (the statement's stream in the POST's answer, the events endpoint, the long-poll) works over TLS with the CA file;
 * the real gateway's certificate without that CA, for another name, or over plain HTTP, is refused with the kernel's
 * own message.
 */
class KernelOverHttpsTest {

    private static final String TOKEN = "kernel-https-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path temp;
    private static Path ca;
    private static RealGateway gateway;
    private static int port;

    @BeforeAll
    static void startGateway() throws Exception {
        Path tls = temp.resolve("tls");
        Process made = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                RealGateway.jar().toString(), "tls-selfsigned", "--out", tls.toString(), "localhost")
                .redirectErrorStream(true).redirectOutput(temp.resolve("tls-selfsigned.log").toFile()).start();
        assertTrue(made.waitFor(60, TimeUnit.SECONDS) && made.exitValue() == 0,
                Files.readString(temp.resolve("tls-selfsigned.log")));
        ca = tls.resolve("ca.pem");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Path tokens = Files.writeString(temp.resolve("tokens"), "ada:sha256:" + hash + "\n");
        Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-------"));
        gateway = new RealGateway(temp, Map.of(
                "HEARTH_GATEWAY_TLS_CERT_FILE", tls.resolve("server.pem").toString(),
                "HEARTH_GATEWAY_TLS_KEY_FILE", tls.resolve("server-key.pem").toString(),
                "HEARTH_AUTH_METHODS", "token",
                "HEARTH_AUTH_TOKENS_FILE", tokens.toString(),
                "HEARTH_ENGINE_SHARED_OS_USER", "true"));
        port = Integer.parseInt(gateway.url().substring(gateway.url().lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static GatewaySettings settings(String url, String... env) {
        Map<String, String> map = new java.util.HashMap<>(Map.of("HEARTH_KERNEL_CONFIG",
                temp.resolve("no-config.json").toString(), "HEARTH_GATEWAY_URL", url, "HEARTH_GATEWAY_TOKEN", TOKEN));
        for (int i = 0; i < env.length; i += 2) {
            map.put(env[i], env[i + 1]);
        }
        return GatewaySettings.resolve(map);
    }

    @Test
    void cellsRunAndEveryPathOfTheClientWorksOverHttpsWithTheCaFile() throws Exception {
        GatewaySettings settings = settings("https://localhost:" + port, "HEARTH_GATEWAY_CA_FILE", ca.toString());
        try (ActiveGateway gateway = new ActiveGateway(settings)) {
            Interrupts interrupts = new Interrupts();
            SessionKeeper sessions = new SessionKeeper(gateway, StatementKind.PYSPARK, interrupts);
            CellRunner cells = new CellRunner(gateway, sessions, interrupts, StatementKind.PYSPARK);
            StringBuilder stdout = new StringBuilder();
            JsonObject result = cells.run("print('over TLS')\n6 * 7", (name, text) -> {
                if (name.equals("stdout")) {
                    stdout.append(text);
                }
            });
            assertEquals("over TLS\n", stdout.toString());
            assertEquals("42", result.get("text/plain").getAsString());

            try (GatewayClient client = new GatewayClient(settings)) {
                int session = sessions.current().orElseThrow();
                PostedStatement posted = client.postStatement(session, "'a' * 3", StatementKind.PYSPARK);
                assertTrue(posted.streaming(), "the POST answered with the statement's event stream");
                List<SseEvent> streamed = new CopyOnWriteArrayList<>();
                try (posted) {
                    posted.read(streamed::add);
                }
                assertTrue(resultOf(streamed).contains("'aaa'"), streamed.toString());

                List<SseEvent> replayed = new CopyOnWriteArrayList<>();
                client.events(session, posted.id(), 0, new SseListener() {
                    @Override
                    public void opened(Cancellable request) {
                    }

                    @Override
                    public void event(SseEvent event) {
                        replayed.add(event);
                    }
                });
                assertTrue(resultOf(replayed).contains("'aaa'"), "the events endpoint: " + replayed);

                String polled = client.statementJson(session, posted.id(), Duration.ofSeconds(5), request -> { });
                assertTrue(polled.contains("\"available\"") && polled.contains("'aaa'"), "the long-poll: " + polled);
            } finally {
                sessions.shutdown();
            }
        }
    }

    @Test
    void theRealCertificateIsRefusedWithoutItsCaForAnotherNameAndOverPlainHttp() throws Exception {
        assertEquals(GatewayTlsException.Problem.UNTRUSTED, failure(settings("https://localhost:" + port)).problem());
        GatewayTlsException wrongHost = failure(settings("https://127.0.0.1:" + port,
                "HEARTH_GATEWAY_CA_FILE", ca.toString()));
        assertEquals("The certificate of the Hearth gateway at https://127.0.0.1:" + port + " is for localhost, not for"
                + " 127.0.0.1.", wrongHost.getMessage());
        GatewayTlsException plain = failure(settings("http://localhost:" + port, "HEARTH_GATEWAY_CA_FILE", ca.toString()));
        assertEquals(GatewayTlsException.Problem.HTTPS_ONLY, plain.problem());
        assertEquals(List.of("Use https://localhost:" + port + " as the gateway URL (HEARTH_GATEWAY_URL)."), plain.advice());
    }

    private static GatewayTlsException failure(GatewaySettings settings) throws Exception {
        try (GatewayClient client = new GatewayClient(settings)) {
            return assertInstanceOf(GatewayTlsException.class, assertThrows(GatewayException.class,
                    client::listSessions));
        }
    }

    private static String resultOf(List<SseEvent> events) {
        return events.stream().filter(e -> e.type().equals("result")).map(SseEvent::data).findFirst().orElse("");
    }
}
