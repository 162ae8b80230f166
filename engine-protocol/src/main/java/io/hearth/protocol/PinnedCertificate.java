package io.hearth.protocol;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An engine's trust in its gateway's channel: exactly the certificate whose fingerprint its launch named, whoever
 * signed it and whatever name or dates it carries (the gateway's is self-signed and made for this alone). No
 * certificate authority can vouch for another one.
 */
final class PinnedCertificate extends X509ExtendedTrustManager {

    private final ChannelFingerprint pin;

    PinnedCertificate(ChannelFingerprint pin) {
        this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the gateway's channel showed no certificate");
        }
        ChannelFingerprint shown = ChannelFingerprint.of(chain[0]);
        if (!shown.equals(pin)) {
            throw new CertificateException("the gateway's channel certificate is not the one this engine was launched"
                    + " to trust: it has the " + shown + ", the launch pinned the " + pin + " ("
                    + EngineEnvironment.CHANNEL_FINGERPRINT_ENV + "); refusing to talk to it");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an engine takes no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
