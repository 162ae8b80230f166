package io.hearth.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A TLS client that trusts one CA file only, as a notebook host given {@code ca.pem} would, with the JDK's own TLS. */
final class TlsClient {

    private final SSLContext context;

    TlsClient(Path caFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int n = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
    }

    /** A new HTTP client: its first request opens a new connection (no TLS session to resume from another client). */
    HttpClient http() {
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The outcome of one handshake: what was negotiated and the server's leaf certificate. */
    record Handshake(String protocol, String cipherSuite, X509Certificate leaf) {}

    /**
     * One handshake on a new connection, offering only {@code protocols} and, if given, {@code suites}.
     *
     * @throws IOException when the server refuses (a {@link javax.net.ssl.SSLHandshakeException} names why)
     */
    Handshake handshake(int port, String[] protocols, String... suites) throws IOException {
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(protocols);
            if (suites.length > 0) {
                s.setEnabledCipherSuites(suites);
            }
            var params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(params);
            s.startHandshake();
            return new Handshake(s.getSession().getProtocol(), s.getSession().getCipherSuite(),
                    (X509Certificate) s.getSession().getPeerCertificates()[0]);
        }
    }

    /** The serial number the server's certificate has on a new connection. */
    String servedSerial(int port) throws IOException {
        return handshake(port, new String[] {"TLSv1.3"}).leaf().getSerialNumber().toString(16);
    }
}
