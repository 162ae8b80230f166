package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections to the engine channel port that never finish their handshake (a byte a second, no credentials; half of
 * them inside a TLS handshake, half after the plain transport's first byte) neither hold up a real engine's handshake
 * nor stay open past the handshake deadline.
 */
class HandshakeFloodTest {

    /** {@code -Dhearth.drippers=0} measures the same start without them, for docs/benchmarks.md. */
    private static final int DRIPPERS = Integer.getInteger("hearth.drippers", 200);
    /** The gateway's whole-handshake deadline (ChannelServer.HANDSHAKE_DEADLINE) plus slack for a loaded machine. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(5 + 5);

    @Test
    void twoHundredDrippingConnectionsNeitherDelayARealEngineNorOutliveTheDeadline() throws Exception {
        try (Gateway gateway = Gateway.start(TestEngine.config()); Drippers drippers = new Drippers(DRIPPERS)) {
            drippers.open(gateway.channelPort());
            Thread dripping = new Thread(drippers, "test-drippers");
            dripping.start();

            LivyClient livy = new LivyClient(gateway.baseUrl());
            long started = System.nanoTime();
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(id, "idle", TestEngine.START);
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("HandshakeFlood: drippers=%d session idle after %d ms%n", DRIPPERS, startMillis);

            int sid = livy.post("/sessions/" + id + "/statements", "{\"code\": \"print(6 * 7)\"}")
                    .json().get("id").getAsInt();
            JsonObject st = livy.awaitStatementDone(id, sid, Duration.ofSeconds(60));
            JsonObject out = st.getAsJsonObject("output");
            assertEquals("ok", out.get("status").getAsString(), out.toString());
            assertEquals("42", out.getAsJsonObject("data").get("text/plain").getAsString().strip());

            dripping.join(CLOSED_WITHIN.toMillis() + 5_000);
            List<Long> lifetimes = drippers.lifetimesMillis();
            assertEquals(DRIPPERS, lifetimes.size(), "every dripping connection was closed by the gateway");
            long longest = lifetimes.stream().mapToLong(Long::longValue).max().orElse(0);
            System.out.printf("HandshakeFlood: longest dripping connection lived %d ms%n", longest);
            assertTrue(longest <= CLOSED_WITHIN.toMillis(),
                    "a dripping connection lived " + longest + " ms, past the deadline + slack " + CLOSED_WITHIN);
        }
    }

    /** Non-blocking sockets that send one byte a second (never a newline, so never a whole message) until closed. */
    private static final class Drippers implements Runnable, AutoCloseable {
        private final int count;
        private final List<SocketChannel> sockets = new ArrayList<>();
        private final List<Long> openedAt = new ArrayList<>();
        private final List<Long> lifetimes = new ArrayList<>();
        /** Bytes sent on each socket; touched by the dripping thread only. */
        private final int[] dripped;
        private volatile boolean stopped;

        Drippers(int count) {
            this.count = count;
            this.dripped = new int[count];
        }

        void open(int port) throws IOException {
            for (int i = 0; i < count; i++) {
                SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                s.configureBlocking(false);
                sockets.add(s);
                openedAt.add(System.nanoTime());
            }
        }

        @Override
        public void run() {
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long nextDrip = System.nanoTime();
            long giveUp = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!stopped && System.nanoTime() < giveUp) {
                boolean drip = System.nanoTime() >= nextDrip;
                int open = 0;
                for (int i = 0; i < sockets.size(); i++) {
                    SocketChannel s = sockets.get(i);
                    if (!s.isOpen()) {
                        continue;
                    }
                    try {
                        sink.clear();
                        boolean closed = s.read(sink) < 0;
                        if (!closed && drip) {
                            s.write(ByteBuffer.wrap(new byte[] {nextByte(i)}));
                        }
                        if (closed) {
                            closedNow(i);
                        } else {
                            open++;
                        }
                    } catch (IOException e) {
                        closedNow(i);
                    }
                }
                if (drip) {
                    nextDrip += 1_000_000_000L;
                }
                if (open == 0) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The transport's first byte (TLS for odd sockets, plain for even ones), then anything. */
        private byte nextByte(int i) {
            if (dripped[i]++ > 0) {
                return 'x';
            }
            return (byte) (i % 2 == 1 ? ChannelTransport.TLS_HANDSHAKE_RECORD : ChannelTransport.PLAIN);
        }

        private void closedNow(int i) {
            synchronized (lifetimes) {
                lifetimes.add((System.nanoTime() - openedAt.get(i)) / 1_000_000);
            }
            try {
                sockets.get(i).close();
            } catch (IOException ignored) {
                // closing a socket the peer closed: nothing left to do
            }
        }

        List<Long> lifetimesMillis() {
            synchronized (lifetimes) {
                return List.copyOf(lifetimes);
            }
        }

        @Override
        public void close() {
            stopped = true;
            for (SocketChannel s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the test is over: a socket that will not close is closed with the JVM
                }
            }
        }
    }
}
