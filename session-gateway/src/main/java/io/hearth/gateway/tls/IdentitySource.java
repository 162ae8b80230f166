package io.hearth.gateway.tls;

import io.hearth.gateway.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Where the gateway's {@link ServerIdentity} is read from: PEM files or a PKCS#12 keystore. */
public interface IdentitySource {

    /**
     * Reads and checks the files now.
     *
     * @throws IllegalArgumentException naming the file (and its setting) and what is wrong with it
     */
    ServerIdentity load();

    /** The files {@link #load()} reads: a change to any of them is a new identity to load. */
    List<Path> files();

    /** Those of {@link #files()} that hold a secret (a key, a password): only the gateway's account should read them. */
    List<Path> secretFiles();

    /** The source named by the settings, or null when TLS is off. */
    static IdentitySource of(TlsSettings tls) {
        if (tls.certFile() != null) {
            return new PemIdentity(tls.certFile(), tls.keyFile());
        }
        if (tls.keystoreFile() != null) {
            return new Pkcs12Identity(tls.keystoreFile(), tls.keystorePasswordFile());
        }
        return null;
    }

    /** The bytes of a file the setting names, or a message naming both and why it cannot be read. */
    static byte[] read(String setting, Path file) {
        try {
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(setting + " " + file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException(setting + " " + file + ": not readable by this user (permission denied)");
        } catch (IOException e) {
            throw new IllegalArgumentException(setting + " " + file + ": cannot read it: " + e.getMessage());
        }
    }
}
