package io.hearth.protocol;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One connection between the gateway and an engine: newline-delimited JSON messages over a socket.
 * Sending is thread-safe; receiving is meant for one reader thread.
 */
public final class Channel implements Closeable {

    /** A line longer than this is a broken or hostile peer, not output: output is chunked well below it. */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final MessageCodec codec;

    public Channel(Socket socket, MessageCodec codec) throws IOException {
        this.socket = socket;
        this.codec = codec;
        socket.setTcpNoDelay(true);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    public void send(ChannelMessage message) throws IOException {
        byte[] line = (codec.encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(line);
            out.flush();
        }
    }

    /** The next message, or null when the peer closed the connection. */
    public ChannelMessage receive() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return codec.decode(line.toString());
            }
            if (line.length() >= MAX_LINE_CHARS) {
                throw new ProtocolException("message longer than " + MAX_LINE_CHARS + " characters");
            }
            line.append((char) c);
        }
        if (line.length() > 0) {
            throw new ProtocolException("connection closed in the middle of a message");
        }
        return null;
    }

    /** Receives the next message and requires it to be of the given type. */
    public <T extends ChannelMessage> T expect(Class<T> type) throws IOException {
        ChannelMessage m = receive();
        if (m == null) {
            throw new IOException("connection closed while waiting for " + type.getSimpleName());
        }
        if (m instanceof ChannelMessage.Rejected r && type != ChannelMessage.Rejected.class) {
            throw new ProtocolException("refused by the gateway: " + r.reason());
        }
        if (!type.isInstance(m)) {
            throw new ProtocolException("expected " + type.getSimpleName() + " but got " + m.getClass().getSimpleName());
        }
        return type.cast(m);
    }

    public String remoteAddress() {
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort: the peer may already be gone
        }
    }
}
