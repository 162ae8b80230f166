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

    public Handshake(MessageCodec codec, ChannelAuth auth) {
        this.codec = codec;
        this.auth = auth;
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
            channel.expect(ChannelMessage.Welcome.class);
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
            channel.send(new ChannelMessage.Welcome());
            socket.setSoTimeout(0);
            return new Accepted(hello.sessionId(), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
