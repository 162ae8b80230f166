package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.Settings;
import io.hearth.protocol.ChannelFingerprint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The channel as a peer on another host meets it: a network namespace made by the test, joined to this one by a veth
 * pair with addresses of its own, and a real gateway listening on this side's address. A plain connection from there is
 * refused before any handshake, telling the peer why and naming its address; a TLS one gets the gateway's channel
 * certificate (the one whose fingerprint engines pin) and then the handshake's challenge inside TLS. Needs root (as CI
 * runs); skipped, saying so, without it. No engine is needed: nothing of a session is reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelFromAnotherHostTest {

    /** A peer on "another host": opens a connection, sends the plain byte or TLS, prints the first line it gets. */
    private static final String PEER = String.join("\n",
            "import hashlib, socket, ssl, sys",
            "host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]",
            "s = socket.create_connection((host, port), timeout=10)",
            "if mode == 'plain':",
            "    s.sendall(b'H')",
            "else:",
            "    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)",
            "    context.check_hostname = False",
            "    context.verify_mode = ssl.CERT_NONE  # checked below by fingerprint, as an engine pins it",
            "    s = context.wrap_socket(s)",
            "    print(s.version())",
            "    print(hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest())",
            "line = b''",
            "while not line.endswith(b'\\n'):",
            "    chunk = s.recv(4096)",
            "    if not chunk:",
            "        break",
            "    line += chunk",
            "print(line.decode().strip())");

    private final String tag = HexFormat.of().formatHex(SecureRandom.getSeed(2));
    private final String namespace = "hearth-ct-" + tag;
    private final String hostSide = "hct" + tag + "a";
    private final String peerSide = "hct" + tag + "b";
    private final int subnet = 1 + new SecureRandom().nextInt(250);
    private final String gatewayAddress = "10.232." + subnet + ".1";
    private final String peerAddress = "10.232." + subnet + ".2";
    private Path stateDir;
    private Gateway gateway;

    @BeforeAll
    void makeAnotherHost() throws Exception {
        boolean root = "0".equals(run(List.of("id", "-u")).strip());
        if (!root) {
            System.err.println("SKIPPED ChannelFromAnotherHostTest: network namespaces need root (CI runs as root)");
        }
        Assumptions.assumeTrue(root, "network namespaces need root (CI runs as root)");
        run(List.of("ip", "netns", "add", namespace));
        run(List.of("ip", "link", "add", hostSide, "type", "veth", "peer", "name", peerSide));
        run(List.of("ip", "link", "set", peerSide, "netns", namespace));
        run(List.of("ip", "addr", "add", gatewayAddress + "/30", "dev", hostSide));
        run(List.of("ip", "link", "set", hostSide, "up"));
        run(List.of("ip", "netns", "exec", namespace, "ip", "addr", "add", peerAddress + "/30", "dev", peerSide));
        run(List.of("ip", "netns", "exec", namespace, "ip", "link", "set", peerSide, "up"));
        stateDir = TestEngine.stateDir();
        // Listening on the veth's address only, reachable from the test's namespace alone.
        gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, stateDir)
                .with(Settings.HOST, gatewayAddress).with(Settings.ALLOW_UNAUTHENTICATED, true).build());
    }

    @AfterAll
    void removeIt() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        // Deleting the namespace deletes its end of the pair, and with it the other.
        runQuietly(List.of("ip", "netns", "del", namespace));
        runQuietly(List.of("ip", "link", "del", hostSide));
    }

    private String peer(String mode) throws Exception {
        return run(List.of("ip", "netns", "exec", namespace, "python3", "-c", PEER, gatewayAddress,
                Integer.toString(gateway.channelPort()), mode));
    }

    @Test
    void aPlainConnectionFromAnotherHostIsRefusedNamingItsAddress() throws Exception {
        String answer = peer("plain");
        assertTrue(answer.contains("\"type\":\"rejected\"") && answer.contains("plain (unencrypted) channel from /"
                + peerAddress) && answer.contains("must use TLS"), answer);
    }

    @Test
    void aTlsConnectionFromAnotherHostMeetsThePinnedCertificateAndTheChallenge() throws Exception {
        List<String> lines = peer("tls").lines().toList();
        assertEquals("TLSv1.3", lines.get(0), lines.toString());
        X509Certificate served = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(stateDir.resolve("channel-cert.pem"))));
        assertEquals(ChannelFingerprint.of(served), new ChannelFingerprint(lines.get(1)));
        assertTrue(lines.get(2).startsWith("{\"type\":\"challenge\""), lines.toString());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static void runQuietly(List<String> command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort: the pair or namespace is gone already
        }
    }
}
