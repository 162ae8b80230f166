package io.hearth.kernel.gateway;

import io.hearth.kernel.gateway.CheckedTrustManager.RejectedCertificateException;
import io.hearth.kernel.gateway.GatewayTlsException.Problem;
import io.hearth.kernel.gateway.HostCheck.WrongHostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Says which TLS problem made a request to the gateway fail, from the exceptions' types (never their English text):
 * an untrusted, expired or not yet valid certificate, one for another host, or a URL whose scheme does not match what
 * the gateway speaks. A scheme mismatch shows only as a broken connection, so it is confirmed by asking the gateway
 * once more in the other protocol.
 */
final class TlsDiagnosis {

    private static final int PROBE_TIMEOUT_MILLIS = 3000;
    private static final String SET_CA = "Give the kernel the PEM certificate of the CA that issued the gateway's"
            + " certificate (its operator has it): set " + GatewaySettings.CA_FILE_ENV + ", or \"ca_file\" in the kernel"
            + " config file (~/.config/hearth/kernel.json), or install the kernels with"
            + " `bin/hearth kernel install --ca-file FILE`; then restart the kernel.";

    // Null for a URL that is no usable http(s) URL: no request is ever sent there.
    private final URI url;
    private final String urlFrom;
    private final Optional<CaFile> caFile;
    private final java.util.function.Supplier<SSLContext> context;

    TlsDiagnosis(String baseUrl, String urlFrom, Optional<CaFile> caFile, java.util.function.Supplier<SSLContext> context) {
        this.url = GatewayUrl.problem(baseUrl) == null ? URI.create(baseUrl) : null;
        this.urlFrom = urlFrom;
        this.caFile = caFile;
        this.context = context;
    }

    /**
     * The TLS problem behind {@code failure}, or empty when it was none (e.g. a plain HTTP gateway that died, or a host
     * that does not answer at all).
     */
    Optional<GatewayTlsException> of(IOException failure) {
        if (url == null) {
            return Optional.empty();
        }
        WrongHostException wrongHost = cause(failure, WrongHostException.class);
        if (wrongHost != null) {
            return Optional.of(wrongHost(wrongHost));
        }
        RejectedCertificateException rejected = cause(failure, RejectedCertificateException.class);
        if (rejected != null) {
            return Optional.of(rejected(rejected));
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (https && (failure instanceof SSLException || failure instanceof ConnectTimeoutException)) {
            // A port that speaks TLS may still answer plain HTTP (a Hearth gateway does, with a 400): ask TLS first.
            if (probeTls() != Peer.NOT_TLS) {
                return Optional.empty();
            }
            if (answersPlainHttp()) {
                return Optional.of(new GatewayTlsException(Problem.PLAIN_HTTP,
                        "The Hearth gateway at " + url + " speaks plain HTTP, not HTTPS.",
                        List.of("If it is meant to run without TLS (only on a network you trust), use " + withScheme("http")
                                        + " as the gateway URL (" + urlFrom + "); otherwise its operator must give it a"
                                        + " certificate (hearth.gateway.tls.cert-file and hearth.gateway.tls.key-file).")));
            }
            if (!(failure instanceof SSLHandshakeException)) {
                return Optional.empty();
            }
            return Optional.of(new GatewayTlsException(Problem.HANDSHAKE,
                    "The TLS handshake with the Hearth gateway at " + url + " failed (" + failure.getMessage() + ").",
                    List.of("Check that " + url + " (" + urlFrom + ") is a Hearth gateway's address; the kernel speaks"
                            + " TLS 1.2 and 1.3 only.")));
        }
        if (!https && !(failure instanceof ConnectTimeoutException)) {
            return httpsOnly();
        }
        return Optional.empty();
    }

    /** The TLS problem behind a 400 answer: an http:// URL to a port that answers plain HTTP only with that refusal. */
    Optional<GatewayTlsException> ofBadRequest() {
        return url == null || "https".equalsIgnoreCase(url.getScheme()) ? Optional.empty() : httpsOnly();
    }

    private Optional<GatewayTlsException> httpsOnly() {
        if (probeTls() != Peer.TLS) {
            return Optional.empty();
        }
        return Optional.of(new GatewayTlsException(Problem.HTTPS_ONLY,
                "The Hearth gateway at " + url + " speaks HTTPS, not plain HTTP.",
                List.of("Use " + withScheme("https") + " as the gateway URL (" + urlFrom + ").")));
    }

    private GatewayTlsException wrongHost(WrongHostException e) {
        String names = e.names().isEmpty() ? "no host name at all" : String.join(", ", e.names());
        return new GatewayTlsException(Problem.WRONG_HOST,
                "The certificate of the Hearth gateway at " + url + " is for " + names + ", not for " + e.host() + ".",
                List.of("Use a gateway URL with a name the certificate is for (" + urlFrom + ", or %%configure"
                                + " {\"gatewayUrl\": ...} in the notebook), or ask the gateway's operator for a certificate"
                                + " that names " + e.host() + ".",
                        "The kernel always checks the host name: the certificate proves who the gateway is only for the"
                                + " names it holds."));
    }

    private GatewayTlsException rejected(RejectedCertificateException e) {
        List<X509Certificate> chain = e.chain();
        X509Certificate server = chain.get(0);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (cause(e, CertificateExpiredException.class) != null || reason(e, CertPathValidatorException.BasicReason.EXPIRED)) {
            X509Certificate expired = chain.stream().filter(c -> c.getNotAfter().toInstant().isBefore(now)).findFirst()
                    .orElse(server);
            return new GatewayTlsException(Problem.EXPIRED, "The certificate " + of(expired, server) + " of the Hearth"
                    + " gateway at " + url + " expired on " + expired.getNotAfter().toInstant() + ".",
                    List.of("The gateway's operator must renew it: the kernel never accepts an expired certificate.",
                            "If it has been renewed, check this host's clock (it says " + now + ")."));
        }
        if (cause(e, CertificateNotYetValidException.class) != null
                || reason(e, CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
            X509Certificate early = chain.stream().filter(c -> c.getNotBefore().toInstant().isAfter(now)).findFirst()
                    .orElse(server);
            return new GatewayTlsException(Problem.NOT_YET_VALID, "The certificate " + of(early, server) + " of the"
                    + " Hearth gateway at " + url + " is not valid before " + early.getNotBefore().toInstant() + ".",
                    List.of("Check the clocks of this host (it says " + now + ") and of the host that made the"
                            + " certificate."));
        }
        if (cause(e, CertPathBuilderException.class) != null || reason(e, PKIXReason.NO_TRUST_ANCHOR)) {
            List<String> advice = new ArrayList<>();
            advice.add(caFile.map(ca -> "Neither the JDK's trusted CAs nor the CA file " + ca.path() + " (" + ca.from()
                    + ") hold that CA.").orElse("The JDK's trusted CAs do not hold that CA, and no CA file is set."));
            advice.add(SET_CA);
            return new GatewayTlsException(Problem.UNTRUSTED, "The Hearth gateway at " + url + " presented a certificate"
                    + " for " + String.join(", ", HostCheck.namesOf(server)) + " issued by "
                    + server.getIssuerX500Principal().getName() + ", a CA this kernel does not trust.", advice);
        }
        return new GatewayTlsException(Problem.REJECTED, "The certificate of the Hearth gateway at " + url
                + " was refused (" + e.getMessage() + ").",
                List.of("Its operator must give it a certificate the JDK accepts (unrevoked, with a strong key and"
                        + " signature)."));
    }

    /** {@code certificate}, named by its subject and, when it is not the gateway's own, as a CA of its chain. */
    private static String of(X509Certificate certificate, X509Certificate server) {
        String subject = certificate.getSubjectX500Principal().getName();
        return certificate.equals(server) ? "(" + subject + ")" : "of the CA " + subject + " in the chain";
    }

    private String withScheme(String scheme) {
        return scheme + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    private int port() {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /** Whether the gateway answers a plain HTTP request with an HTTP status line. */
    private boolean answersPlainHttp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(url.getHost(), port()), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD / HTTP/1.1\r\nHost: " + url.getRawAuthority() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return "HTTP/".equals(new String(in.readNBytes(5), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    /** What a TLS handshake on the gateway's port shows. */
    private enum Peer {
        /** It completed, or the port at least presented a certificate. */
        TLS,
        /** The port answered, but not with TLS. */
        NOT_TLS,
        /** Nothing could connect: neither protocol can be told. */
        UNREACHABLE
    }

    private Peer probeTls() {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(url.getHost(), port()), PROBE_TIMEOUT_MILLIS);
            plain.setSoTimeout(PROBE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(plain);
            return Peer.UNREACHABLE;
        }
        try (SSLSocket tls = (SSLSocket) context.get().getSocketFactory().createSocket(plain, url.getHost(), port(), true)) {
            tls.startHandshake();
            return Peer.TLS;
        } catch (SSLHandshakeException e) {
            return cause(e, RejectedCertificateException.class) != null ? Peer.TLS : Peer.NOT_TLS;
        } catch (IOException e) {
            return Peer.NOT_TLS;
        } finally {
            closeQuietly(plain);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // A probe's socket: nothing to keep.
        }
    }

    private static boolean reason(Throwable failure, CertPathValidatorException.Reason wanted) {
        CertPathValidatorException invalid = cause(failure, CertPathValidatorException.class);
        return invalid != null && invalid.getReason() == wanted;
    }

    /** The first of {@code failure}'s causes (itself included) of {@code type}, or null. */
    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
