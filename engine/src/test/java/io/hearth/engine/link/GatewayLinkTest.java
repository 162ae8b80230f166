package io.hearth.engine.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelFingerprint;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.ChannelTransport;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's side of a gateway restart, over real sockets and the real handshake: the test plays the gateway (its
 * accepting side is {@link Handshake#verify}, the same code the gateway runs), which requires every reconnection to
 * prove the link key its first connection was given; over TLS, the engine takes only the certificate it pinned.
 */
class GatewayLinkTest {

    private static final String SESSION = "3";
    private static final String SECRET = "link-test-secret";
    private static final LinkKey LINK_KEY = new LinkKey("link-test-link-key");

    private final Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth());

    @Test
    void whatWasSentWhileTheGatewayWasAwayIsReplayedAfterItComesBackOnTheSamePort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Channel> firstSide = accept(server, false);
            GatewayLink link = new GatewayLink(handshake, environment(server.getLocalPort(), Duration.ofSeconds(30)),
                    handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET));
            Channel gateway = firstSide.get(10, TimeUnit.SECONDS);
            link.received(1);
            link.received(2);
            link.send(new ChannelMessage.StatementStarted(1, 100));
            link.send(new ChannelMessage.Output(1, "stdout", "before "));
            assertEquals(new ChannelMessage.StatementStarted(1, 100), gateway.receive());
            assertEquals(new ChannelMessage.Output(1, "stdout", "before "), gateway.receive());

            gateway.close(); // the gateway dies
            CompletableFuture<Channel> secondSide = accept(server, true);
            CompletableFuture<Optional<Channel>> reconnected = CompletableFuture.supplyAsync(() -> {
                try {
                    return link.reconnect();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // Meanwhile the statement goes on and the next one runs: all of it only reaches the history.
            link.send(new ChannelMessage.Output(1, "stdout", "after"));
            ChannelMessage.StatementFinished first = new ChannelMessage.StatementFinished(1, "available",
                    ChannelMessage.StatementOutput.ok(1, new com.google.gson.JsonObject()), 200);
            link.send(first);
            link.send(new ChannelMessage.StatementStarted(2, 300));

            Channel back = secondSide.get(10, TimeUnit.SECONDS);
            assertTrue(reconnected.get(10, TimeUnit.SECONDS).isPresent());
            link.resync(new ChannelMessage.Resync(List.of(1L, 2L, 5L)));
            assertEquals(new ChannelMessage.StatementReplay(1, 100), back.receive());
            assertEquals(new ChannelMessage.Output(1, "stdout", "before "), back.receive());
            assertEquals(new ChannelMessage.Output(1, "stdout", "after"), back.receive());
            assertEquals(first, back.receive());
            assertEquals(new ChannelMessage.StatementReplay(2, 300), back.receive());
            assertEquals(new ChannelMessage.ResyncDone(List.of(5L)), back.receive());
            link.send(new ChannelMessage.Output(2, "stdout", "live again"));
            assertEquals(new ChannelMessage.Output(2, "stdout", "live again"), back.receive());
            link.close();
        }
    }

    @Test
    void theLinkGivesUpWhenTheGraceEndsOrWhenTheGatewayRefusesTheSession() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Channel> side = accept(server, false);
            Handshake.Connected first = handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET);
            side.get(10, TimeUnit.SECONDS).close();
            // Nobody listens on the port any more: dialling fails until the grace is over.
            GatewayLink gone = new GatewayLink(handshake, environment(port, Duration.ofMillis(700)), first);
            long t0 = System.nanoTime();
            assertTrue(gone.reconnect().isEmpty());
            long millis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
            assertTrue(millis >= 600 && millis < 5000, "gave up after " + millis + " ms");

            // A gateway that no longer knows the session refuses it: no point in trying again.
            CompletableFuture<Channel> again = accept(server, false);
            Handshake.Connected second = handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET);
            again.get(10, TimeUnit.SECONDS).close();
            CompletableFuture<Void> refusing = CompletableFuture.runAsync(() -> {
                try {
                    handshake.verify(server.accept(), id -> Optional.empty());
                } catch (IOException | RuntimeException expected) {
                    // refused, as intended
                }
            });
            GatewayLink refused = new GatewayLink(handshake, environment(server.getLocalPort(), Duration.ofSeconds(60)),
                    second);
            t0 = System.nanoTime();
            assertTrue(refused.reconnect().isEmpty());
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10, "a refusal ends it at once");
            refusing.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReconnectionIsTlsAgainAndAnotherCertificateOnTheGatewaysPortIsNotTakenForIt(@TempDir Path dir)
            throws Exception {
        Certificate gatewayOwn = Certificate.make(dir.resolve("gateway.p12"));
        Certificate other = Certificate.make(dir.resolve("other.p12"));
        Handshake engine = new Handshake(new MessageCodec(), new ChannelAuth(), ChannelTransport.engine(
                new ChannelTls(ChannelEncryption.ALWAYS, ChannelFingerprint.of(gatewayOwn.certificate()))));
        Handshake gateway = new Handshake(new MessageCodec(), new ChannelAuth(),
                ChannelTransport.gateway(ChannelEncryption.ALWAYS, gatewayOwn.server()), 1 << 20);
        Handshake impostor = new Handshake(new MessageCodec(), new ChannelAuth(),
                ChannelTransport.gateway(ChannelEncryption.ALWAYS, other.server()), 1 << 20);
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Channel> firstSide = accept(gateway, server, false);
            GatewayLink link = new GatewayLink(engine, environment(server.getLocalPort(), Duration.ofSeconds(30)),
                    engine.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET));
            firstSide.get(10, TimeUnit.SECONDS).close(); // the gateway dies

            // Something else answers on its port first, with another certificate: the engine keeps trying.
            CompletableFuture<Void> refused = CompletableFuture.runAsync(() -> {
                try {
                    impostor.verify(server.accept(), id -> Optional.of(new Handshake.Expected(SECRET, LINK_KEY)));
                    throw new AssertionError("the engine took another certificate for its gateway's");
                } catch (IOException expected) {
                    // the engine hung up in the TLS handshake
                }
            });
            CompletableFuture<Optional<Channel>> reconnected = CompletableFuture.supplyAsync(() -> {
                try {
                    return link.reconnect();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            refused.get(10, TimeUnit.SECONDS);
            Channel back = accept(gateway, server, true).get(10, TimeUnit.SECONDS);
            Channel engineSide = reconnected.get(10, TimeUnit.SECONDS).orElseThrow();
            assertEquals(Optional.of(ChannelTransport.TLS_PROTOCOL), engineSide.tlsProtocol());
            link.resync(new ChannelMessage.Resync(List.of()));
            assertEquals(new ChannelMessage.ResyncDone(List.of()), back.receive());
            link.close();
        }
    }

    /** A self-signed EC certificate made by the JDK's keytool, and a gateway's TLS context serving it. */
    private record Certificate(X509Certificate certificate, SSLContext server) {

        static Certificate make(Path store) throws Exception {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "channel", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=test", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass",
                    "password").redirectErrorStream(true).start();
            String said = new String(keytool.getInputStream().readAllBytes());
            assertEquals(0, keytool.waitFor(), said);
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(store)) {
                keys.load(in, "password".toCharArray());
            }
            X509Certificate certificate = (X509Certificate) keys.getCertificate("channel");
            return new Certificate(certificate, ChannelTransport.serverContext(
                    (PrivateKey) keys.getKey("channel", "password".toCharArray()), certificate));
        }
    }

    /** The gateway's side of the next connection; a {@code reconnection} must prove the link key. */
    private CompletableFuture<Channel> accept(ServerSocket server, boolean reconnection) {
        return accept(handshake, server, reconnection);
    }

    private CompletableFuture<Channel> accept(Handshake handshake, ServerSocket server, boolean reconnection) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Handshake.Claim claim = handshake.verify(server.accept(),
                        id -> Optional.of(new Handshake.Expected(SECRET, LINK_KEY)).filter(s -> id.equals(SESSION)));
                assertEquals(reconnection, claim.linkProved(), "a reconnection proves the link key, a first one cannot");
                return claim.welcome();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static EngineEnvironment environment(int port, Duration grace) {
        return new EngineEnvironment("127.0.0.1", port, SESSION, SECRET, "python3", grace, null, null);
    }
}
