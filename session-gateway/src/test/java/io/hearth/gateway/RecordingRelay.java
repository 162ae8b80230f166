package io.hearth.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that records every byte it forwards, as a sniffer on the link between an engine and the
 * gateway would see them: each connection's two directions kept apart. Real sockets both ways; it only copies.
 */
final class RecordingRelay implements AutoCloseable {

    /** What crossed one connection: what the dialling side sent, and what it was sent back. */
    static final class Recording {
        private final ByteArrayOutputStream fromDialler = new ByteArrayOutputStream();
        private final ByteArrayOutputStream toDialler = new ByteArrayOutputStream();

        synchronized byte[] fromDialler() {
            return fromDialler.toByteArray();
        }

        synchronized byte[] toDialler() {
            return toDialler.toByteArray();
        }

        /** Whether {@code text} (UTF-8) crossed in either direction, in the clear. */
        boolean contains(String text) {
            byte[] needle = text.getBytes(StandardCharsets.UTF_8);
            return indexOf(fromDialler(), needle) >= 0 || indexOf(toDialler(), needle) >= 0;
        }

        private synchronized void add(boolean fromTheDialler, byte[] buffer, int length) {
            (fromTheDialler ? fromDialler : toDialler).write(buffer, 0, length);
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Recording> recordings = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private RecordingRelay(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        this.acceptor = new Thread(this::accept, "test-relay-accept");
        this.acceptor.setDaemon(true);
    }

    /** Relays connections to its loopback port on to {@code target} (an unresolved address is resolved here). */
    static RecordingRelay to(InetSocketAddress target) throws IOException {
        RecordingRelay relay = new RecordingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                new InetSocketAddress(target.getHostString(), target.getPort()));
        relay.acceptor.start();
        return relay;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** Every connection relayed so far, in the order they came. */
    List<Recording> recordings() {
        return List.copyOf(recordings);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket dialler = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(dialler);
                sockets.add(upstream);
                Recording recording = new Recording();
                recordings.add(recording);
                pump(dialler, upstream, recording, true);
                pump(upstream, dialler, recording, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, Recording recording, boolean fromTheDialler) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    recording.add(fromTheDialler, buffer, n);
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side hung up: the other goes too, below
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "test-relay-" + (fromTheDialler ? "up" : "down"));
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
