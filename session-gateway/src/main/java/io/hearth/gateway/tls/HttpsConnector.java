package io.hearth.gateway.tls;

import io.hearth.gateway.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's HTTPS: the Jetty connector that serves it (in place of Javalin's plain one, on the same host and port),
 * with TLS 1.3 and 1.2 only (1.2 with ECDHE and AEAD suites only), plain HTTP refused, and the key material reloaded
 * when its files change. Owns the watching thread; {@link #close()} stops it.
 */
public final class HttpsConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);

    /** How often the files are looked at: a rotated certificate is served within seconds, at the cost of two reads. */
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** TLS 1.3's suites are all AEAD; for 1.2, forward secrecy (ECDHE) and AEAD (GCM, ChaCha20-Poly1305) only. */
    private static final String[] CIPHER_SUITES = {"TLS_AES_.*", "TLS_CHACHA20_POLY1305_.*",
            "TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)",
            "TLS_ECDHE_(ECDSA|RSA)_WITH_CHACHA20_POLY1305_SHA256"};

    private final IdentitySource source;
    private final SslContextFactory.Server tls = new SslContextFactory.Server();
    private final Clock clock;
    private final IdentityWatch watch;

    private HttpsConnector(IdentitySource source, Clock clock) {
        this.source = source;
        this.clock = clock;
        this.watch = new IdentityWatch(source, this::use);
        ServerIdentity identity = source.load();
        warnIfNotValidNow(identity, clock);
        LOG.info("HTTPS with {}", identity.describe());
        warnIfOthersCanRead(source.secretFiles());
        tls.setSslContext(sslContext(identity));
        tls.setIncludeProtocols(PROTOCOLS);
        tls.setIncludeCipherSuites(CIPHER_SUITES);
        tls.setRenegotiationAllowed(false);
    }

    /**
     * Reads and checks the key material the settings name, before anything listens; null when TLS is off.
     *
     * @throws IllegalArgumentException naming the file and the problem: unreadable, not PEM/PKCS#12, encrypted key, or a
     *                                  key that is not the certificate's
     */
    public static HttpsConnector from(TlsSettings settings, Clock clock) {
        IdentitySource source = IdentitySource.of(settings);
        return source == null ? null : new HttpsConnector(source, clock);
    }

    /** The connector Javalin adds instead of its own: detection of plain HTTP, then TLS, then HTTP/1.1. */
    public Connector connector(Server server, HttpConfiguration javalinHttp, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(javalinHttp);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients check the certificate's names themselves; Jetty's own check of the Host header against the SNI
        // certificate would only turn a client that reaches the gateway by another name (a proxy, an IP) into 400s.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        HttpConnectionFactory http = new HttpConnectionFactory(https);
        SslConnectionFactory ssl = new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString());
        ServerConnector connector = new ServerConnector(server, new PlainHttpRefusal(ssl), ssl, http);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Starts watching the files for a new certificate and key (once the server listens). */
    public void watch() {
        watch.start(WATCH_INTERVAL);
    }

    /** New connections get this identity; open ones keep theirs. */
    private void use(ServerIdentity identity) {
        warnIfNotValidNow(identity, clock);
        try {
            tls.reload(f -> f.setSslContext(sslContext(identity)));
        } catch (Exception e) {
            throw new IllegalStateException("reloading the TLS context failed: " + e.getMessage(), e);
        }
        LOG.info("HTTPS now with {} (reloaded from {})", identity.describe(), source.files());
    }

    /**
     * An expired (or not yet valid) certificate is logged, not refused: clients refuse it themselves, naming the
     * problem, while a gateway that would not start with it would also take /health and the watch for its replacement
     * away; operators see this line at start and at each reload.
     */
    private static void warnIfNotValidNow(ServerIdentity identity, Clock clock) {
        if (identity.expiredAt(clock.instant())) {
            LOG.warn("The TLS {} has EXPIRED: clients will refuse to connect until it is replaced (the gateway"
                    + " reloads it when its files change)", identity.describe());
        } else if (identity.notYetValidAt(clock.instant())) {
            LOG.warn("The TLS {} is not valid yet (is this host's clock behind?): clients will refuse it until then",
                    identity.describe());
        }
    }

    /** Not refused: the operator may have reasons (a group for a deploy tool); but said, since it is a key. */
    private static void warnIfOthersCanRead(List<Path> secrets) {
        for (Path f : secrets) {
            try {
                Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
                if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)) {
                    LOG.warn("{} can be read by other users than the gateway's ({}): chmod 600 it", f,
                            PosixFilePermissions.toString(p));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // Read a moment ago; a file system without POSIX modes has nothing to say here.
            }
        }
    }

    private static SSLContext sslContext(ServerIdentity identity) {
        try {
            // An in-memory store: the password only joins the key to the store for this call.
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            char[] password = HexFormat.of().formatHex(random).toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("gateway", identity.key(), password,
                    identity.chain().toArray(new java.security.cert.Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the TLS key or certificate cannot be used: " + e.getMessage(), e);
        }
    }

    /** Stops the watch; safe to call whether or not it started. */
    @Override
    public void close() {
        watch.close();
    }
}
