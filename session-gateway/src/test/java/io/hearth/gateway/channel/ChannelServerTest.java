package io.hearth.gateway.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.Handshake;
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
    private final LinkedBlockingQueue<String> attached = new LinkedBlockingQueue<>();
    private final Handshake handshake = new Handshake(new MessageCodec(), auth);
    private ChannelServer server;

    @BeforeEach
    void start() throws Exception {
        ChannelServer.Registry registry = new ChannelServer.Registry() {
            @Override
            public Optional<String> secretOf(String sessionId) {
                return Optional.ofNullable(Map.of("0", secret).get(sessionId));
            }

            @Override
            public void attach(String sessionId, Channel channel) {
                attached.add(sessionId);
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
        try (Channel channel = handshake.connect("127.0.0.1", server.port(), "0", secret)) {
            assertEquals("0", attached.poll(5, TimeUnit.SECONDS));
            assertFalse(channel.isClosed());
        }
    }

    @Test
    void aSilentPeerDoesNotHoldUpTheEnginesBehindIt() throws Exception {
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.port())) {
            try (Channel channel = handshake.connect("127.0.0.1", server.port(), "0", secret)) {
                assertEquals("0", attached.poll(5, TimeUnit.SECONDS));
                channel.send(new ChannelMessage.Ping());
            }
        }
    }
}
