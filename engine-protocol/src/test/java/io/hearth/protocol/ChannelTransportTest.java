package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The channel's transport over real loopback sockets: TLS 1.3 with the pinned certificate, refusal of any other
 * certificate, plain connections where the gateway's mode forbids them, and an engine that has nothing to pin.
 */
class ChannelTransportTest {

    private static final String SESSION = "7";
    private static final String SECRET = "s3cret";
    private static TestCertificates gatewayCertificate;
    private static TestCertificates otherCertificate;

    private ServerSocket server;

    @BeforeAll
    static void certificates() throws Exception {
        gatewayCertificate = TestCertificates.make("gateway");
        otherCertificate = TestCertificates.make("impostor");
    }

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** The gateway's side of the next connection, over {@code transport}. */
    private CompletableFuture<Handshake.Claim> gateway(ChannelTransport transport) {
        Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth(), transport, 1024 * 1024);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.verify(server.accept(), id -> Optional.ofNullable(
                        Map.of(SESSION, new Handshake.Expected(SECRET, new LinkKey("key"))).get(id)));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private Handshake.Connected engine(ChannelTransport transport) throws IOException {
        return new Handshake(new MessageCodec(), new ChannelAuth(), transport)
                .connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET);
    }

    /** The engine's side, dialling while the test welcomes it as the gateway. */
    private CompletableFuture<Handshake.Connected> engineAsync(ChannelTransport transport) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return engine(transport);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static ChannelTransport engineTls(ChannelFingerprint pin) {
        return ChannelTransport.engine(new ChannelTls(ChannelEncryption.ALWAYS, pin));
    }

    @Test
    void anEngineThatPinsTheGatewaysCertificateTalksToItOverTls13() throws Exception {
        CompletableFuture<Handshake.Claim> claim = gateway(
                ChannelTransport.gateway(ChannelEncryption.OFF_HOST, gatewayCertificate.server()));
        CompletableFuture<Handshake.Connected> engine = engineAsync(engineTls(gatewayCertificate.pin()));
        try (Channel gatewaySide = claim.get(10, TimeUnit.SECONDS).welcome();
             Channel engineSide = engine.get(10, TimeUnit.SECONDS).channel()) {
            assertEquals(ChannelTransport.TLS_PROTOCOL, engineSide.tlsProtocol().orElseThrow());
            assertEquals(ChannelTransport.TLS_PROTOCOL, gatewaySide.tlsProtocol().orElseThrow());
            // A message of several TLS records, both ways.
            String big = "x".repeat(200_000);
            engineSide.send(new ChannelMessage.Output(3, "stdout", big));
            assertEquals(new ChannelMessage.Output(3, "stdout", big), gatewaySide.receive());
            gatewaySide.send(new ChannelMessage.Cancel(3));
            assertEquals(new ChannelMessage.Cancel(3), engineSide.receive());
        }
    }

    @Test
    void anotherCertificateIsRefusedByTheEngineNamingBothFingerprints() throws Exception {
        CompletableFuture<Handshake.Claim> claim = gateway(
                ChannelTransport.gateway(ChannelEncryption.OFF_HOST, otherCertificate.server()));
        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                () -> engine(engineTls(gatewayCertificate.pin())));
        assertTrue(refused.getMessage().contains(otherCertificate.pin().value())
                && refused.getMessage().contains(gatewayCertificate.pin().value())
                && refused.getMessage().contains(EngineEnvironment.CHANNEL_FINGERPRINT_ENV), refused.getMessage());
        ExecutionException gatewaySide = assertThrows(ExecutionException.class, () -> claim.get(10, TimeUnit.SECONDS));
        // The engine hung up in the TLS handshake: nothing of the channel's own was said.
        assertInstanceOf(IOException.class, gatewaySide.getCause().getCause());
    }

    @Test
    void aPlainEngineIsRefusedByAGatewayWhoseEncryptionIsAlwaysTellingItWhy() throws Exception {
        CompletableFuture<Handshake.Claim> claim = gateway(
                ChannelTransport.gateway(ChannelEncryption.ALWAYS, gatewayCertificate.server()));
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> engine(ChannelTransport.loopbackOnly()));
        assertTrue(refused.getMessage().contains("plain (unencrypted) channel from /127.0.0.1:")
                && refused.getMessage().contains("always"), refused.getMessage());
        ExecutionException gatewaySide = assertThrows(ExecutionException.class, () -> claim.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ProtocolException.class, gatewaySide.getCause());
    }

    @Test
    void aPlainEngineOnLoopbackIsTakenUnderOffHost() throws Exception {
        CompletableFuture<Handshake.Claim> claim = gateway(
                ChannelTransport.gateway(ChannelEncryption.OFF_HOST, gatewayCertificate.server()));
        CompletableFuture<Handshake.Connected> engine = engineAsync(ChannelTransport.engine(
                new ChannelTls(ChannelEncryption.OFF_HOST, gatewayCertificate.pin())));
        try (Channel gatewaySide = claim.get(10, TimeUnit.SECONDS).welcome();
             Channel engineSide = engine.get(10, TimeUnit.SECONDS).channel()) {
            assertFalse(engineSide.tlsProtocol().isPresent());
            engineSide.send(new ChannelMessage.Output(1, "stdout", "plain"));
            assertEquals(new ChannelMessage.Output(1, "stdout", "plain"), gatewaySide.receive());
        }
    }

    @Test
    void anEngineDueToUseTlsWithoutAPinRefusesToDialSayingWhatIsMissing() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> engine(ChannelTransport.engine(new ChannelTls(ChannelEncryption.ALWAYS, null))));
        assertTrue(e.getMessage().contains(EngineEnvironment.CHANNEL_FINGERPRINT_ENV), e.getMessage());
    }

    @Test
    void tlsToAGatewayWithoutACertificateIsRefused() throws Exception {
        CompletableFuture<Handshake.Claim> claim = gateway(ChannelTransport.loopbackOnly());
        assertThrows(IOException.class, () -> engine(engineTls(gatewayCertificate.pin())));
        ExecutionException gatewaySide = assertThrows(ExecutionException.class, () -> claim.get(10, TimeUnit.SECONDS));
        assertTrue(gatewaySide.getCause().getMessage().contains("no channel certificate"),
                gatewaySide.getCause().getMessage());
    }

    @Test
    void offHostEncryptsEveryPeerButLoopbackAndAlwaysEncryptsLoopbackToo() throws Exception {
        for (String peer : new String[] {"10.20.30.40", "192.168.1.2", "fd00::1"}) {
            assertTrue(ChannelEncryption.OFF_HOST.encrypts(InetAddress.getByName(peer)), peer);
        }
        for (String peer : new String[] {"127.0.0.1", "127.0.1.1", "::1"}) {
            assertFalse(ChannelEncryption.OFF_HOST.encrypts(InetAddress.getByName(peer)), peer);
            assertTrue(ChannelEncryption.ALWAYS.encrypts(InetAddress.getByName(peer)), peer);
        }
        assertEquals(ChannelEncryption.ALWAYS, ChannelEncryption.parse(" Always "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChannelEncryption.parse("never")).getMessage()
                .contains("off-host, always"));
    }
}
