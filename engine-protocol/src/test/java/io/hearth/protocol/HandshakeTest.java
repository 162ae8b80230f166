package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both sides of the handshake over a real loopback socket: the secret's proof, the link key the gateway gives at the
 * first connection and the proof of it on later ones, refusals, and engines or gateways of another protocol.
 */
class HandshakeTest {

    private static final String SESSION = "7";
    private static final String SECRET = "s3cret";
    private static final LinkKey LINK_KEY = new LinkKey("the-link-key-of-session-7");

    private final Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth());
    private ServerSocket server;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /** The gateway's side of the next connection: its claim, verified against session 7's secret and link key. */
    private CompletableFuture<Handshake.Claim> claimed() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.verify(server.accept(), id -> Optional.ofNullable(
                        Map.of(SESSION, new Handshake.Expected(SECRET, LINK_KEY)).get(id)));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    /** The claim, welcomed: the gateway's end of the channel. */
    private static Channel welcomed(CompletableFuture<Handshake.Claim> claim) throws Exception {
        return claim.get(10, TimeUnit.SECONDS).welcome();
    }

    @Test
    void theFirstConnectionProvesTheSecretAndIsGivenTheLinkKeyInItsWelcome() throws Exception {
        CompletableFuture<Handshake.Claim> claim = claimed();
        CompletableFuture<Handshake.Connected> engine = CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Handshake.Claim gateway = claim.get(10, TimeUnit.SECONDS);
        assertEquals(SESSION, gateway.sessionId());
        assertFalse(gateway.linkProved(), "a first connection has no link key to prove");
        try (Channel gatewaySide = gateway.welcome(); Channel engineSide = engine.get(10, TimeUnit.SECONDS).channel()) {
            assertEquals(LINK_KEY, engine.get().linkKey());
            engineSide.send(new ChannelMessage.Output(3, "stdout", "hello\nworld"));
            assertEquals(new ChannelMessage.Output(3, "stdout", "hello\nworld"), gatewaySide.receive());
        }
        assertFalse(LINK_KEY.toString().contains(LINK_KEY.value()), "a link key never prints: " + LINK_KEY);
        String expected = new Handshake.Expected(SECRET, LINK_KEY).toString();
        assertFalse(expected.contains(SECRET) || expected.contains(LINK_KEY.value()), "nor a secret: " + expected);
    }

    @Test
    void aReconnectionProvesTheLinkKeyAndTheSecretAloneOrAWrongKeyDoesNot() throws Exception {
        CompletableFuture<Handshake.Claim> claim = claimed();
        CompletableFuture<Channel> engine = CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.reconnect("127.0.0.1", server.getLocalPort(), SESSION, SECRET, LINK_KEY);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Handshake.Claim original = claim.get(10, TimeUnit.SECONDS);
        assertTrue(original.linkProved(), "the engine that was given the link key proves it");
        original.welcome().close();
        engine.get(10, TimeUnit.SECONDS).close();

        // An impostor with a copy of the secret: the secret's proof passes, the link key's is missing.
        claim = claimed();
        CompletableFuture<Handshake.Connected> impostor = CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Handshake.Claim secretOnly = claim.get(10, TimeUnit.SECONDS);
        assertFalse(secretOnly.linkProved());
        secretOnly.refuse("this session's engine already connected");
        ExecutionException refused = assertThrows(ExecutionException.class, () -> impostor.get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof ProtocolException, String.valueOf(refused.getCause()));
        assertTrue(refused.getCause().getMessage().contains("this session's engine already connected"),
                refused.getCause().getMessage());

        // A guessed link key proves nothing either.
        claim = claimed();
        CompletableFuture<Channel> guesser = CompletableFuture.supplyAsync(() -> {
            try {
                return handshake.reconnect("127.0.0.1", server.getLocalPort(), SESSION, SECRET, new LinkKey("guess"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Handshake.Claim wrongKey = claim.get(10, TimeUnit.SECONDS);
        assertFalse(wrongKey.linkProved());
        wrongKey.refuse("no");
        assertThrows(ExecutionException.class, () -> guesser.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWrongSecretIsRefusedOnBothSidesBeforeTheSessionIsAsked() throws Exception {
        CompletableFuture<Handshake.Claim> claim = claimed();
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> handshake.reconnect("127.0.0.1", server.getLocalPort(), SESSION, "wrong", LINK_KEY));
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        Exception gatewaySide = assertThrows(Exception.class, () -> claim.get(10, TimeUnit.SECONDS));
        assertTrue(gatewaySide.getCause() instanceof ProtocolException, String.valueOf(gatewaySide.getCause()));
    }

    @Test
    void anEngineOfTheOlderProtocolIsRefusedSayingWhy() throws Exception {
        CompletableFuture<Handshake.Claim> claim = claimed();
        try (Socket old = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            old.getOutputStream().write(ChannelTransport.PLAIN);
            Channel channel = new Channel(old, new MessageCodec());
            String nonce = channel.expect(ChannelMessage.Challenge.class).nonce();
            // What an engine of the first protocol sent: no version, no link proof.
            OutputStream out = old.getOutputStream();
            out.write(("{\"type\":\"hello\",\"session_id\":\"7\",\"mac\":\"" + ChannelAuth.mac(SECRET, nonce)
                    + "\"}\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            ChannelMessage.Rejected rejected = channel.expect(ChannelMessage.Rejected.class);
            assertTrue(rejected.reason().contains("channel protocol 0 and this gateway " + Handshake.PROTOCOL_VERSION),
                    rejected.reason());
            assertTrue(rejected.reason().contains("same Hearth build"), rejected.reason());
        }
        Exception gatewaySide = assertThrows(Exception.class, () -> claim.get(10, TimeUnit.SECONDS));
        assertTrue(gatewaySide.getCause().getMessage().contains("channel protocol 0"), gatewaySide.getMessage());
    }

    @Test
    void aGatewayOfTheOlderProtocolIsLeftSayingWhy() throws Exception {
        CompletableFuture<Void> oldGateway = CompletableFuture.runAsync(() -> {
            try (Socket s = server.accept()) {
                s.getInputStream().read(); // the plain transport's first byte
                Channel channel = new Channel(s, new MessageCodec());
                channel.send(new ChannelMessage.Challenge("n"));
                channel.expect(ChannelMessage.Hello.class);
                // What a gateway of the first protocol sent: no link key.
                OutputStream out = s.getOutputStream();
                out.write("{\"type\":\"welcome\",\"max_statement_output\":1024}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.receive(); // until the engine hangs up
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> handshake.connect("127.0.0.1", server.getLocalPort(), SESSION, SECRET));
        assertTrue(e.getMessage().contains("no link key") && e.getMessage().contains("same build"), e.getMessage());
        oldGateway.get(10, TimeUnit.SECONDS);
    }

    @Test
    void macDependsOnSecretAndNonce() {
        String mac = ChannelAuth.mac("a", "n1");
        assertTrue(ChannelAuth.verify("a", "n1", mac));
        assertFalse(ChannelAuth.verify("b", "n1", mac));
        assertFalse(ChannelAuth.verify("a", "n2", mac));
        assertFalse(ChannelAuth.verify("a", "n1", null));
        assertNotEquals(mac, ChannelAuth.mac("a", "n2"));
    }
}
