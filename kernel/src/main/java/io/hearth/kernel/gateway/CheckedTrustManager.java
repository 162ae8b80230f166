package io.hearth.kernel.gateway;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX check of the gateway's certificate chain, unchanged, except that a rejection carries the chain the
 * gateway presented ({@link RejectedCertificateException}): the kernel's message names the certificate, its issuer
 * and its dates, which the JDK's exception does not give.
 */
final class CheckedTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;

    CheckedTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw new RejectedCertificateException(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw new RejectedCertificateException(chain, e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            pkix.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw new RejectedCertificateException(chain, e);
        }
    }

    // The kernel never accepts clients; these only keep the interface whole.

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    /** The JDK rejected the chain the gateway presented; the JDK's reason is the cause. */
    static final class RejectedCertificateException extends CertificateException {

        private final transient List<X509Certificate> chain;

        RejectedCertificateException(X509Certificate[] chain, CertificateException reason) {
            super(reason.getMessage(), reason);
            this.chain = List.of(chain);
        }

        /** The gateway's certificate first, then the rest of the chain it sent. */
        List<X509Certificate> chain() {
            return chain;
        }
    }
}
