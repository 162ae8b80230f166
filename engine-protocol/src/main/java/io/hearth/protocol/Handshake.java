package io.hearth.protocol;

import java.io.IOException;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens an authenticated channel: the engine side dials and proves its secret (and, when it reconnects, its link key);
 * the gateway side checks the proof, and its session decides whether to welcome the connection. Both run over the
 * {@link ChannelTransport} each side was given (TLS off the gateway's host), which is open before anything is said.
 */
public final class Handshake {

    /**
     * The version of the channel's handshake and messages. Engine and gateway ship together and speak the same one; a
     * gateway refuses an engine of another at once, saying so, rather than failing later in a way that explains nothing.
     */
    public static final int PROTOCOL_VERSION = 4;

    private static final int TIMEOUT_MILLIS = 10_000;

    private final MessageCodec codec;
    private final ChannelAuth auth;
    private final ChannelTransport transport;
    private final long maxStatementOutput;

    /** Either side over plain TCP on loopback only ({@link ChannelTransport#loopbackOnly()}). */
    public Handshake(MessageCodec codec, ChannelAuth auth) {
        this(codec, auth, ChannelTransport.loopbackOnly());
    }

    /** The engine's side, which learns the statement output limit from the gateway's {@code Welcome}. */
    public Handshake(MessageCodec codec, ChannelAuth auth, ChannelTransport transport) {
        this(codec, auth, transport, Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
    }

    /** The gateway's side: {@code maxStatementOutput} (bytes) is what it tells every engine in {@code Welcome}. */
    public Handshake(MessageCodec codec, ChannelAuth auth, ChannelTransport transport, long maxStatementOutput) {
        if (maxStatementOutput <= 0) {
            throw new IllegalArgumentException("the statement output limit must be positive, not " + maxStatementOutput);
        }
        this.codec = codec;
        this.auth = auth;
        this.transport = transport;
        this.maxStatementOutput = maxStatementOutput;
    }

    /** Engine side: a connection the gateway welcomed, and the link key to prove on every later one. */
    public record Connected(Channel channel, LinkKey linkKey) {}

    /** Engine side, its first connection: proves the secret of {@code sessionId} and learns the link key. */
    public Connected connect(String host, int port, String sessionId, String secret) throws IOException {
        return dial(host, port, sessionId, secret, null);
    }

    /** Engine side, every later connection: proves the secret and the link key its first connection was given. */
    public Channel reconnect(String host, int port, String sessionId, String secret, LinkKey linkKey)
            throws IOException {
        return dial(host, port, sessionId, secret, linkKey).channel();
    }

    private Connected dial(String host, int port, String sessionId, String secret, LinkKey linkKey)
            throws IOException {
        Socket socket = transport.dial(host, port, TIMEOUT_MILLIS);
        try {
            Channel channel = new Channel(socket, codec);
            ChannelMessage.Challenge challenge = channel.expect(ChannelMessage.Challenge.class);
            channel.send(new ChannelMessage.Hello(sessionId, ChannelAuth.mac(secret, challenge.nonce()),
                    linkKey == null ? null : ChannelAuth.mac(linkKey.value(), challenge.nonce()), PROTOCOL_VERSION));
            ChannelMessage.Welcome welcome = channel.expect(ChannelMessage.Welcome.class);
            if (welcome.linkKey() == null || welcome.linkKey().isEmpty()) {
                throw new ProtocolException("the gateway's Welcome carries no link key: the gateway is of another"
                        + " Hearth build (an older channel protocol than " + PROTOCOL_VERSION + "); run an engine and"
                        + " a gateway of the same build");
            }
            channel.open(welcome.maxStatementOutput() > 0 ? welcome.maxStatementOutput()
                    : Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
            socket.setSoTimeout(0);
            return new Connected(channel, linkKey == null ? new LinkKey(welcome.linkKey()) : linkKey);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Gateway side: what a session holds to check an engine's {@code Hello}: its secret and its link key. */
    public record Expected(String secret, LinkKey linkKey) {

        @Override
        public String toString() {
            return "Expected[****]";
        }
    }

    /**
     * Gateway side: a connection that proved the secret of the session it claims, not yet welcomed, so that the session
     * can still refuse it (under its own lock) before the connection learns anything, the link key included.
     */
    public final class Claim {

        private final String sessionId;
        private final boolean linkProved;
        private final LinkKey linkKey;
        private final Channel channel;
        private final Socket socket;

        private Claim(String sessionId, boolean linkProved, LinkKey linkKey, Channel channel, Socket socket) {
            this.sessionId = sessionId;
            this.linkProved = linkProved;
            this.linkKey = linkKey;
            this.channel = channel;
            this.socket = socket;
        }

        public String sessionId() {
            return sessionId;
        }

        /** Whether the connection also proved the session's link key: it comes from the engine that connected first. */
        public boolean linkProved() {
            return linkProved;
        }

        public String remoteAddress() {
            return channel.remoteAddress();
        }

        /** The TLS version the connection runs over; empty for plain TCP. */
        public Optional<String> tlsProtocol() {
            return channel.tlsProtocol();
        }

        /** Accepts the connection: sends {@code Welcome} (with the link key) and returns the open channel. */
        public Channel welcome() throws IOException {
            try {
                channel.open(maxStatementOutput);
                channel.send(new ChannelMessage.Welcome(maxStatementOutput, linkKey.value()));
                socket.setSoTimeout(0);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** Refuses the connection, telling the peer {@code reason} (which must hold no secret), and closes it. */
        public void refuse(String reason) {
            try {
                channel.send(new ChannelMessage.Rejected(reason));
            } catch (IOException e) {
                // the peer is gone already: closing is all that is left
            } finally {
                channel.close();
            }
        }

        /** Closes the connection without a word: the gateway gave up on it (its deadline passed). */
        public void close() {
            channel.close();
        }
    }

    /**
     * Gateway side: challenges the engine and checks its answer against the secret of the session it claims
     * ({@code expectedOf} is empty for a session that takes no engine). A connection that fails is told why and
     * closed, and the caller gets an exception; one that passes is a {@link Claim} for its session to welcome or refuse.
     */
    public Claim verify(Socket connection, Function<String, Optional<Expected>> expectedOf) throws IOException {
        connection.setSoTimeout(TIMEOUT_MILLIS);
        Socket socket;
        try {
            socket = transport.accept(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        Channel channel = new Channel(socket, codec);
        try {
            String nonce = auth.newNonce();
            channel.send(new ChannelMessage.Challenge(nonce));
            ChannelMessage.Hello hello = channel.expect(ChannelMessage.Hello.class);
            if (hello.protocol() != PROTOCOL_VERSION) {
                String reason = "the engine speaks channel protocol " + hello.protocol() + " and this gateway "
                        + PROTOCOL_VERSION + ": run an engine and a gateway of the same Hearth build";
                channel.send(new ChannelMessage.Rejected(reason));
                throw new ProtocolException("engine at " + channel.remoteAddress() + " for session " + hello.sessionId()
                        + " refused: " + reason);
            }
            Optional<Expected> expected = hello.sessionId() == null ? Optional.empty()
                    : expectedOf.apply(hello.sessionId());
            if (expected.isEmpty() || !ChannelAuth.verify(expected.get().secret(), nonce, hello.mac())) {
                channel.send(new ChannelMessage.Rejected("unknown session or wrong secret"));
                throw new ProtocolException("engine at " + channel.remoteAddress()
                        + " failed authentication for session " + hello.sessionId());
            }
            LinkKey linkKey = expected.get().linkKey();
            boolean linkProved = hello.linkMac() != null && ChannelAuth.verify(linkKey.value(), nonce, hello.linkMac());
            return new Claim(hello.sessionId(), linkProved, linkKey, channel, socket);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
