package io.hearth.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * One connection between the gateway and an engine: newline-delimited JSON messages over a socket.
 * Sending is thread-safe; receiving is meant for one reader thread.
 *
 * <p>A message longer than the channel's limit is a broken or hostile peer: it is skipped and reported. Until the
 * handshake is done the limit is {@link #HANDSHAKE_LINE_CHARS}; then {@link #maxLineChars(long)} of the agreed
 * statement output limit, since a statement's result or a shown value travels in one message.
 */
public final class Channel implements Closeable {

    /** A statement's output limit when the gateway names none: {@code hearth.statement.max-output}'s default. */
    public static final long DEFAULT_MAX_STATEMENT_OUTPUT = 64L * 1024 * 1024;
    /** Challenge, Hello, Welcome and Rejected are short; an unauthenticated peer gets no more. */
    static final int HANDSHAKE_LINE_CHARS = 64 * 1024;
    /** The least an open channel carries: the code of a statement (the gateway takes request bodies up to 16 MiB). */
    static final int MIN_LINE_CHARS = 16 * 1024 * 1024;
    /** Room beyond the statement output limit for a message's envelope and an error's text. */
    static final int ENVELOPE_CHARS = 1024 * 1024;

    private final Socket socket;
    private final Reader in;
    private final OutputStream out;
    private final MessageCodec codec;
    // Touched by the reader thread only: read in blocks, not a character at a time (a result can be 64 MiB).
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private volatile int maxLineChars = HANDSHAKE_LINE_CHARS;
    private volatile long maxStatementOutput = DEFAULT_MAX_STATEMENT_OUTPUT;

    public Channel(Socket socket, MessageCodec codec) throws IOException {
        this.socket = socket;
        this.codec = codec;
        socket.setTcpNoDelay(true);
        this.in = new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8);
        this.out = socket.getOutputStream();
    }

    /**
     * The longest message a channel takes once open: the statement output limit (measured in UTF-8 bytes, so never
     * fewer than the characters of a result's JSON) plus an envelope, and never less than a large statement's code.
     */
    public static int maxLineChars(long maxStatementOutput) {
        long room = Integer.MAX_VALUE - 16L - ENVELOPE_CHARS; // a String's length is an int
        return (int) (Math.min(Math.max(maxStatementOutput, MIN_LINE_CHARS), room) + ENVELOPE_CHARS);
    }

    /** The handshake is done: messages up to {@link #maxLineChars(long)} of the agreed limit are taken from now on. */
    void open(long agreedMaxStatementOutput) {
        maxStatementOutput = agreedMaxStatementOutput;
        maxLineChars = maxLineChars(agreedMaxStatementOutput);
    }

    /** The most bytes one statement may return, as the gateway said in its {@code Welcome}. */
    public long maxStatementOutput() {
        return maxStatementOutput;
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
        StringBuilder line = null;
        long length = 0;
        boolean tooLong = false;
        while (true) {
            if (position == limit) {
                int n = in.read(buffer);
                if (n == -1) {
                    if (length > 0) {
                        throw new ProtocolException("connection closed in the middle of a message");
                    }
                    return null;
                }
                position = 0;
                limit = n;
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            boolean complete = end < limit;
            position = complete ? end + 1 : end;
            length += end - start;
            if (length > maxLineChars) {
                // Read to the end of the line, so that the next message starts in step, then say so.
                tooLong = true;
                line = null;
            }
            if (!tooLong) {
                if (complete && line == null) {
                    return codec.decode(new String(buffer, start, end - start));
                }
                if (line == null) {
                    line = new StringBuilder(Math.max(2 * (end - start), 1024));
                }
                line.append(buffer, start, end - start);
            }
            if (complete) {
                if (tooLong) {
                    throw new ProtocolException(String.format(Locale.ROOT,
                            "message of %,d characters, more than the %,d this channel takes", length, maxLineChars));
                }
                return codec.decode(line.toString());
            }
        }
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

    /** The TLS version this channel runs over; empty for plain TCP. */
    public Optional<String> tlsProtocol() {
        return socket instanceof SSLSocket tls ? Optional.of(tls.getSession().getProtocol()) : Optional.empty();
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
