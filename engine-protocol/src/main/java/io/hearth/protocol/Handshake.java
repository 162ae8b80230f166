package io.hearth.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Function;

/** Opens an authenticated channel: the engine side dials and proves its secret; the gateway side checks it. */
public final class Handshake {

    private static final int TIMEOUT_MILLIS = 10_000;

    private final MessageCodec codec;
    private final ChannelAuth auth;
    private final long maxStatementOutput;

    /** The engine's side, which learns the statement output limit from the gateway's {@code Welcome}. */
    public Handshake(MessageCodec codec, ChannelAuth auth) {
        this(codec, auth, Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
    }

    /** The gateway's side: {@code maxStatementOutput} (bytes) is what it tells every engine in {@code Welcome}. */
    public Handshake(MessageCodec codec, ChannelAuth auth, long maxStatementOutput) {
        if (maxStatementOutput <= 0) {
            throw new IllegalArgumentException("the statement output limit must be positive, not " + maxStatementOutput);
        }
        this.codec = codec;
        this.auth = auth;
        this.maxStatementOutput = maxStatementOutput;
    }

    /** Engine side: connect to the gateway and prove we serve {@code sessionId}. */
    public Channel connect(String host, int port, String sessionId, String secret) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            Channel channel = new Channel(socket, codec);
            ChannelMessage.Challenge challenge = channel.expect(ChannelMessage.Challenge.class);
            channel.send(new ChannelMessage.Hello(sessionId, ChannelAuth.mac(secret, challenge.nonce())));
            ChannelMessage.Welcome welcome = channel.expect(ChannelMessage.Welcome.class);
            channel.open(welcome.maxStatementOutput() > 0 ? welcome.maxStatementOutput()
                    : Channel.DEFAULT_MAX_STATEMENT_OUTPUT);
            socket.setSoTimeout(0);
            return channel;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The outcome of an accepted connection: the session it proved, and its open channel. */
    public record Accepted(String sessionId, Channel channel) {}

    /**
     * Gateway side: challenge the engine and check its answer against the session's secret.
     * A connection that fails the proof is told why and closed; the caller gets an exception.
     */
    public Accepted accept(Socket socket, Function<String, Optional<String>> secretOf) throws IOException {
        socket.setSoTimeout(TIMEOUT_MILLIS);
        Channel channel = new Channel(socket, codec);
        try {
            String nonce = auth.newNonce();
            channel.send(new ChannelMessage.Challenge(nonce));
            ChannelMessage.Hello hello = channel.expect(ChannelMessage.Hello.class);
            Optional<String> secret = hello.sessionId() == null ? Optional.empty() : secretOf.apply(hello.sessionId());
            if (secret.isEmpty() || !ChannelAuth.verify(secret.get(), nonce, hello.mac())) {
                channel.send(new ChannelMessage.Rejected("unknown session or wrong secret"));
                throw new ProtocolException("engine at " + channel.remoteAddress()
                        + " failed authentication for session " + hello.sessionId());
            }
            channel.open(maxStatementOutput);
            channel.send(new ChannelMessage.Welcome(maxStatementOutput));
            socket.setSoTimeout(0);
            return new Accepted(hello.sessionId(), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
