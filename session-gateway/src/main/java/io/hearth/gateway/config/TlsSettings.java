package io.hearth.gateway.config;

import java.nio.file.Path;

/**
 * The REST API's TLS settings: a PEM certificate chain and key, or a PKCS#12 keystore (with its password in a file),
 * or neither (plain HTTP); and the explicit opt-in to plain HTTP beyond loopback with authentication on.
 */
public record TlsSettings(Path certFile, Path keyFile, Path keystoreFile, Path keystorePasswordFile,
                          boolean allowPlainHttp) {

    public TlsSettings {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(Settings.TLS_CERT_FILE.key() + " and " + Settings.TLS_KEY_FILE.key()
                    + " go together: set both (the certificate chain and its private key) or neither");
        }
        if (certFile != null && keystoreFile != null) {
            throw new IllegalArgumentException("set either " + Settings.TLS_CERT_FILE.key() + " and "
                    + Settings.TLS_KEY_FILE.key() + " (PEM) or " + Settings.TLS_KEYSTORE_FILE.key()
                    + " (PKCS#12), not both");
        }
        if (keystorePasswordFile != null && keystoreFile == null) {
            throw new IllegalArgumentException(Settings.TLS_KEYSTORE_PASSWORD_FILE.key() + " is set but "
                    + Settings.TLS_KEYSTORE_FILE.key() + " is not");
        }
    }

    /** Plain HTTP, no opt-in: the default. */
    public static TlsSettings none() {
        return new TlsSettings(null, null, null, null, false);
    }

    /** Whether the REST API serves HTTPS. */
    public boolean enabled() {
        return certFile != null || keystoreFile != null;
    }
}
