package io.hearth.protocol;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * What carries the channel's messages: TLS 1.3, or plain TCP where both ends are on one host. The engine speaks first
 * either way, a TLS ClientHello (whose first byte, {@link #TLS_HANDSHAKE_RECORD}, opens a TLS handshake record) or the
 * one byte {@link #PLAIN}, so the gateway takes both on one port and tells them apart by that byte. The engine uses TLS
 * when its {@link ChannelEncryption} says so for the address it dials, and then accepts the pinned certificate only
 * ({@link PinnedCertificate}); the gateway refuses a plain connection its own mode would have encrypted (a peer off
 * its host, or any peer under {@code always}) before the handshake starts, telling the peer why.
 */
public final class ChannelTransport {

    /** The only TLS version either side speaks: no downgrade to negotiate, and every cipher suite is an AEAD. */
    public static final String TLS_PROTOCOL = "TLSv1.3";
    /** The first byte of a TLS ClientHello: the content type of a handshake record. */
    public static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** A plain engine's first byte; anything but {@link #TLS_HANDSHAKE_RECORD} would do. */
    public static final int PLAIN = 'H';

    private final ChannelEncryption encryption;
    /** The engine's side: trusts the pinned certificate only; null without a pin. */
    private final SSLContext client;
    /** The gateway's side: its channel certificate; null without one. */
    private final SSLContext server;

    private ChannelTransport(ChannelEncryption encryption, SSLContext client, SSLContext server) {
        this.encryption = encryption;
        this.client = client;
        this.server = server;
    }

    /** An engine's transport, as its launch described it. */
    public static ChannelTransport engine(ChannelTls tls) {
        return new ChannelTransport(tls.encryption(), tls.pin() == null ? null : pinning(tls.pin()), null);
    }

    /** A gateway's transport: TLS with {@code server} (a {@link #serverContext}) and plain where its mode allows. */
    public static ChannelTransport gateway(ChannelEncryption encryption, SSLContext server) {
        return new ChannelTransport(encryption, null, server);
    }

    /** Plain TCP on loopback, on either side, and nothing else: for programs and tests that need no TLS. */
    public static ChannelTransport loopbackOnly() {
        return new ChannelTransport(ChannelEncryption.OFF_HOST, null, null);
    }

    /** A gateway's TLS 1.3 context serving {@code certificate} with its {@code key}. */
    public static SSLContext serverContext(PrivateKey key, X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("channel", key, password, new X509Certificate[] {certificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance(TLS_PROTOCOL);
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot serve the channel certificate over TLS 1.3: " + e.getMessage(), e);
        }
    }

    private static SSLContext pinning(ChannelFingerprint pin) {
        try {
            SSLContext context = SSLContext.getInstance(TLS_PROTOCOL);
            context.init(null, new TrustManager[] {new PinnedCertificate(pin)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is part of every Java 17 runtime", e);
        }
    }

    /**
     * Engine side: connects to the gateway and opens the transport, TLS with the pinned certificate or plain. A
     * certificate other than the pinned one fails the TLS handshake with an {@link javax.net.ssl.SSLHandshakeException}
     * saying both fingerprints.
     *
     * @throws ProtocolException when TLS is due and the launch pinned no certificate: no dial can fix that
     */
    public Socket dial(String host, int port, int timeoutMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        boolean tls = encryption.encrypts(address.getAddress());
        if (tls && client == null) {
            throw new ProtocolException("the gateway's channel at " + host + " needs TLS (off this host, or "
                    + "encryption " + encryption.wireName() + ") but the launch named no certificate to trust ("
                    + EngineEnvironment.CHANNEL_FINGERPRINT_ENV + ")");
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            if (!tls) {
                OutputStream out = socket.getOutputStream();
                out.write(PLAIN);
                out.flush();
                return socket;
            }
            SSLSocket secure = (SSLSocket) client.getSocketFactory().createSocket(socket, host, port, true);
            secure.setEnabledProtocols(new String[] {TLS_PROTOCOL});
            secure.setUseClientMode(true);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Gateway side: reads the engine's first byte and opens the transport it asks for, TLS (the handshake done) or
     * plain. Refuses a plain connection this side's mode would encrypt, telling the peer why, and anything else.
     */
    public Socket accept(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int first = in.read();
        if (first == TLS_HANDSHAKE_RECORD) {
            if (server == null) {
                throw new ProtocolException("a TLS connection from " + socket.getRemoteSocketAddress()
                        + ", but this side has no channel certificate");
            }
            SSLSocket secure = (SSLSocket) server.getSocketFactory().createSocket(socket,
                    new ByteArrayInputStream(new byte[] {(byte) first}), true);
            secure.setEnabledProtocols(new String[] {TLS_PROTOCOL});
            secure.setUseClientMode(false);
            try {
                secure.startHandshake();
            } catch (SSLException e) {
                String why = String.valueOf(e.getMessage());
                throw new SSLHandshakeException("TLS handshake failed: " + why + (why.contains("certificate_unknown")
                        ? " (the engine does not trust this gateway's channel certificate: its launch pinned another)"
                        : ""));
            }
            return secure;
        }
        if (first == PLAIN) {
            SocketAddress peer = socket.getRemoteSocketAddress();
            if (peer instanceof InetSocketAddress inet && !encryption.encrypts(inet.getAddress())) {
                return socket;
            }
            String reason = "a plain (unencrypted) channel from " + peer + " is refused: "
                    + (encryption == ChannelEncryption.ALWAYS ? "this gateway's channel encryption is always"
                    : "an engine off the gateway's host must use TLS")
                    + "; launch the engine from this gateway, which tells it to";
            new Channel(socket, new MessageCodec()).send(new ChannelMessage.Rejected(reason));
            throw new ProtocolException(reason);
        }
        if (first == -1) {
            throw new EOFException("closed before its first byte");
        }
        throw new ProtocolException(String.format(Locale.ROOT, "the first byte 0x%02x from %s is neither a TLS"
                + " handshake nor a plain Hearth channel", first, socket.getRemoteSocketAddress()));
    }
}
