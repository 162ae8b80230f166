package io.hearth.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.GatewayProcess;
import io.hearth.gateway.launch.LocalProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.1 is refused by the gateway's own settings, not only by the JDK's defaults: the gateway runs in a JVM whose
 * java.security allows TLS 1.1 (an operator's JDK may), and so does the client, which first shows it can negotiate
 * TLS 1.1 with a server of its own. No Spark.
 */
class OldTlsVersionsTest {

    @Test
    void tls11IsRefusedEvenByAGatewayWhoseJdkAllowsIt(@TempDir Path dir) throws Exception {
        Path tls = Certificates.forLoopback(dir.resolve("tls"));
        // The JDK 17 default, less TLSv1 and TLSv1.1.
        Path security = Files.writeString(dir.resolve("tls11.security"), "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0,"
                + " RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH\n");
        String allowTls11 = "-Djava.security.properties=" + security;
        GatewayProcess gateway = GatewayProcess.start(0, Map.of("JAVA_TOOL_OPTIONS", allowTls11,
                "HEARTH_ENGINE_JAR", Files.writeString(dir.resolve("not-an-engine.jar"), "-").toString(),
                "HEARTH_STATE_DIR", dir.resolve("state").toString(), "HEARTH_SPARK_HOME", dir.toString(),
                "HEARTH_GATEWAY_TLS_CERT_FILE", tls.resolve("server.pem").toString(),
                "HEARTH_GATEWAY_TLS_KEY_FILE", tls.resolve("server-key.pem").toString()),
                dir.resolve("gateway.log"), Duration.ofSeconds(60));
        try {
            assertTrue(gateway.baseUrl().startsWith("https://"), gateway.baseUrl());
            Process probe = new ProcessBuilder(LocalProcessLauncher.currentJava().toString(), allowTls11, "-cp",
                    System.getProperty("java.class.path"), TlsProbe.class.getName(), Integer.toString(gateway.port()),
                    tls.resolve("ca.pem").toString(), tls.resolve("server.pem").toString(),
                    tls.resolve("server-key.pem").toString()).redirectErrorStream(true).start();
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probe ends");
            List<String> lines = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("Picked up")).toList();
            assertEquals(3, lines.size(), String.join("\n", lines));
            assertEquals("control TLSv1.1", lines.get(0), "this JDK negotiates TLS 1.1 when allowed to");
            // protocol_version: TLS 1.1 itself is off. (Without the gateway's protocol list, Jetty's default exclusion
            // of SHA-1 suites would still fail it, but as handshake_failure: no suite in common.)
            assertTrue(lines.get(1).startsWith("gateway TLSv1.1 refused: javax.net.ssl.SSLHandshakeException")
                    && lines.get(1).contains("protocol_version"), lines.get(1));
            assertEquals("gateway TLSv1.2", lines.get(2));
        } finally {
            gateway.stop();
        }
    }
}
