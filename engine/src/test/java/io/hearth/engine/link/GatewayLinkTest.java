package io.hearth.engine.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine's side of a gateway restart, over real sockets and the real handshake: the test plays the gateway (its
 * accepting side is {@link Handshake#verify}, the same code the gateway runs), which requires every reconnection to
 * prove the link key its first connection was given.
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

    /** The gateway's side of the next connection; a {@code reconnection} must prove the link key. */
    private CompletableFuture<Channel> accept(ServerSocket server, boolean reconnection) {
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
