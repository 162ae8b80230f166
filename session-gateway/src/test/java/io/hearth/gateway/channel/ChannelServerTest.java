package io.hearth.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChannelServerTest {

    private final ChannelAuth auth = new ChannelAuth();
    private final String secret = auth.newSecret();
    private final LinkKey linkKey = new LinkKey(auth.newSecret());
    private final LinkedBlockingQueue<String> attached = new LinkedBlockingQueue<>();
    private final Handshake handshake = new Handshake(new MessageCodec(), auth);
    private ChannelServer server;

    @BeforeEach
    void start() throws Exception {
        ChannelServer.Registry registry = new ChannelServer.Registry() {
            @Override
            public Optional<Handshake.Expected> expected(String sessionId) {
                return Optional.ofNullable(Map.of("0", new Handshake.Expected(secret, linkKey)).get(sessionId));
            }

            @Override
            public Optional<String> attach(Handshake.Claim claim) {
                // Like a session whose engine connected: only the link key's proof takes it.
                if (!claim.linkProved() && !attached.isEmpty()) {
                    claim.refuse("without the link key");
                    return Optional.of("without the link key");
                }
                try {
                    claim.welcome();
                } catch (java.io.IOException e) {
                    return Optional.of(e.getMessage());
                }
                attached.add(claim.sessionId());
                return Optional.empty();
            }
        };
        server = new ChannelServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), handshake, registry);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEngineWithTheWrongSecretIsRefused() throws Exception {
        Exception e = assertThrows(Exception.class,
                () -> handshake.connect("127.0.0.1", server.port(), "0", auth.newSecret()));
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertEquals(null, attached.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void anEngineClaimingAnUnknownSessionIsRefused() {
        assertThrows(Exception.class, () -> handshake.connect("127.0.0.1", server.port(), "9", secret));
        assertTrue(attached.isEmpty());
    }

    @Test
    void anEngineWithTheRightSecretIsHandedToItsSession() throws Exception {
        try (Channel channel = handshake.connect("127.0.0.1", server.port(), "0", secret).channel()) {
            assertEquals("0", attached.poll(5, TimeUnit.SECONDS));
            assertFalse(channel.isClosed());
        }
    }

    @Test
    void theSessionDecidesOnAProvedClaimAndItsRefusalReachesThePeer() throws Exception {
        attached.add("an engine connected before");
        Exception refused = assertThrows(Exception.class,
                () -> handshake.connect("127.0.0.1", server.port(), "0", secret));
        assertTrue(refused.getMessage().contains("without the link key"), refused.getMessage());
        try (Channel channel = handshake.reconnect("127.0.0.1", server.port(), "0", secret, linkKey)) {
            assertFalse(channel.isClosed());
        }
    }

    @Test
    void aSilentPeerDoesNotHoldUpTheEnginesBehindIt() throws Exception {
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.port())) {
            try (Channel channel = handshake.connect("127.0.0.1", server.port(), "0", secret).channel()) {
                assertEquals("0", attached.poll(5, TimeUnit.SECONDS));
                channel.send(new ChannelMessage.Ping());
            }
        }
    }
}
