package io.hearth.kernel.gateway;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ssl.TLS;

/**
 * How the kernel's HTTP client checks an https:// gateway: the chain against the JDK's trusted CAs (its default trust
 * store) plus those of the CA file, if one is set; the host name always ({@link HostCheck}); TLS 1.3 or 1.2 only. There
 * is deliberately no way to skip either check. A CA file that cannot be used leaves a {@link #problem()}, reported at
 * the first cell rather than killing the kernel at start.
 */
final class GatewayTls {

    private final SSLContext context;
    private final Optional<GatewayTlsException> problem;

    private GatewayTls(SSLContext context, Optional<GatewayTlsException> problem) {
        this.context = context;
        this.problem = problem;
    }

    /** The checks for a gateway whose CA may be in {@code caFile}. */
    static GatewayTls of(Optional<CaFile> caFile) {
        List<X509Certificate> extra = List.of();
        Optional<GatewayTlsException> problem = Optional.empty();
        if (caFile.isPresent()) {
            try {
                extra = CaBundle.read(caFile.get().path());
            } catch (CaBundle.CaFileException e) {
                CaFile file = caFile.get();
                problem = Optional.of(new GatewayTlsException(GatewayTlsException.Problem.CA_FILE,
                        "The CA file " + file.path() + " (" + file.from() + ") cannot be used: " + e.getMessage() + ".",
                        List.of("Point " + file.from() + " at a PEM file with the certificate(s) of the CA that issued"
                                + " the gateway's certificate, then restart the kernel.")));
            }
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new CheckedTrustManager(pkix(extra))}, null);
            return new GatewayTls(context, problem);
        } catch (GeneralSecurityException | java.io.IOException e) {
            // The JDK's own trust store or TLS is broken: nothing the kernel can work around.
            throw new IllegalStateException("the JDK's TLS cannot be set up: " + e, e);
        }
    }

    /** The context that makes the kernel's TLS connections (also those that diagnose a failure). */
    SSLContext context() {
        return context;
    }

    /** Why the CA file cannot be used, if it cannot. */
    Optional<GatewayTlsException> problem() {
        return problem;
    }

    /** HttpClient's TLS for the gateway: these checks, modern protocol versions, the host name always checked. */
    TlsSocketStrategy socketStrategy() {
        return ClientTlsStrategyBuilder.create()
                .setSslContext(context)
                .setTlsVersions(TLS.V_1_3, TLS.V_1_2)
                // Only HostCheck checks the name (the JDK's check would fail with a plain CertificateException).
                .setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                .setHostnameVerifier(new HostCheck())
                .buildClassic();
    }

    /** The JDK's PKIX trust manager over its default trust store plus {@code extra}. */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> extra)
            throws GeneralSecurityException, java.io.IOException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        if (extra.isEmpty()) {
            return firstX509(system);
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate ca : firstX509(system).getAcceptedIssuers()) {
            anchors.setCertificateEntry("system-" + i++, ca);
        }
        for (X509Certificate ca : extra) {
            anchors.setCertificateEntry("ca-file-" + i++, ca);
        }
        TrustManagerFactory merged = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        merged.init(anchors);
        return firstX509(merged);
    }

    private static X509ExtendedTrustManager firstX509(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("the JDK offers no X.509 trust manager");
    }
}
