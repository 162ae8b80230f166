package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private final Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth());

    @Test
    void engineWithTheRightSecretGetsAnOpenChannel() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Handshake.Accepted> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return handshake.accept(server.accept(), id -> Optional.ofNullable(Map.of("7", "s3cret").get(id)));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Channel engine = handshake.connect("127.0.0.1", server.getLocalPort(), "7", "s3cret")) {
                Handshake.Accepted gateway = accepted.get(10, TimeUnit.SECONDS);
                assertEquals("7", gateway.sessionId());
                engine.send(new ChannelMessage.Output(3, "stdout", "hello\nworld"));
                assertEquals(new ChannelMessage.Output(3, "stdout", "hello\nworld"), gateway.channel().receive());
                gateway.channel().close();
            }
        }
    }

    @Test
    void engineWithAWrongSecretIsRefusedOnBothSides() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Handshake.Accepted> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return handshake.accept(server.accept(), id -> Optional.of("right"));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ProtocolException refused = assertThrows(ProtocolException.class,
                    () -> handshake.connect("127.0.0.1", server.getLocalPort(), "7", "wrong"));
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
            Exception gatewaySide = assertThrows(Exception.class, () -> accepted.get(10, TimeUnit.SECONDS));
            assertTrue(gatewaySide.getCause() instanceof ProtocolException, String.valueOf(gatewaySide.getCause()));
        }
    }

    @Test
    void macDependsOnSecretAndNonce() {
        String mac = ChannelAuth.mac("a", "n1");
        assertTrue(ChannelAuth.verify("a", "n1", mac));
        assertTrue(!ChannelAuth.verify("b", "n1", mac));
        assertTrue(!ChannelAuth.verify("a", "n2", mac));
        assertTrue(!ChannelAuth.verify("a", "n1", null));
    }
}
