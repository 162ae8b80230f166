package io.hearth.gateway.tls;

import io.hearth.gateway.config.Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A PKCS#12 keystore with one private key and its chain; its password is the first line of a file of its own. */
final class Pkcs12Identity implements IdentitySource {

    private final Path keystoreFile;
    private final Path passwordFile;

    /** @param passwordFile null for a keystore without a password */
    Pkcs12Identity(Path keystoreFile, Path passwordFile) {
        this.keystoreFile = keystoreFile;
        this.passwordFile = passwordFile;
    }

    @Override
    public List<Path> files() {
        return passwordFile == null ? List.of(keystoreFile) : List.of(keystoreFile, passwordFile);
    }

    @Override
    public List<Path> secretFiles() {
        return files();
    }

    @Override
    public ServerIdentity load() {
        String setting = Settings.TLS_KEYSTORE_FILE.key();
        char[] password = password();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(IdentitySource.read(setting, keystoreFile)), password);
            List<String> keys = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                }
            }
            if (keys.size() != 1) {
                throw new IllegalArgumentException(setting + " " + keystoreFile + " holds " + keys.size()
                        + " private keys; it must hold exactly one, with its certificate chain");
            }
            Key key = store.getKey(keys.get(0), password);
            Certificate[] chain = store.getCertificateChain(keys.get(0));
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new IllegalArgumentException(setting + " " + keystoreFile + ": its key entry has no private key"
                        + " with a certificate chain");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : chain) {
                certificates.add((X509Certificate) c);
            }
            ServerIdentity identity = new ServerIdentity(privateKey, certificates);
            if (!identity.keyMatchesLeaf()) {
                throw new IllegalArgumentException(setting + " " + keystoreFile + ": its private key is not the key of"
                        + " its first certificate");
            }
            return identity;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(setting + " " + keystoreFile + " cannot be opened: the wrong password ("
                    + Settings.TLS_KEYSTORE_PASSWORD_FILE.key() + ") or not a PKCS#12 file (" + e.getMessage() + ")");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password() {
        if (passwordFile == null) {
            return new char[0];
        }
        String text = new String(IdentitySource.read(Settings.TLS_KEYSTORE_PASSWORD_FILE.key(), passwordFile),
                StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
    }
}
