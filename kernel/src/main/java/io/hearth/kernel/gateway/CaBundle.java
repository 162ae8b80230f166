package io.hearth.kernel.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The certificates of a CA file: every {@code -----BEGIN CERTIFICATE-----} block of a PEM bundle. Text around the
 * blocks (the comments and titles some bundles carry) and blocks of other kinds are skipped.
 */
public final class CaBundle {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL);

    private CaBundle() {
    }

    /** Null when {@code file} is a usable CA file, else why not (for {@code install --ca-file}). */
    public static String problem(Path file) {
        try {
            read(file);
            return null;
        } catch (CaFileException e) {
            return e.getMessage();
        }
    }

    /** The file's certificates, in order; {@link CaFileException} says what makes the file unusable. */
    static List<X509Certificate> read(Path file) throws CaFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CaFileException("there is no such file");
        } catch (AccessDeniedException e) {
            throw new CaFileException("this user may not read it");
        } catch (IOException e) {
            throw new CaFileException("it cannot be read (" + e + ")");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher block = BLOCK.matcher(text);
        while (block.find()) {
            int number = certificates.size() + 1;
            try {
                byte[] der = Base64.getMimeDecoder().decode(block.group(1).strip());
                certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new CaFileException("its certificate number " + number + " is not a valid X.509 certificate ("
                        + e.getMessage() + ")");
            }
        }
        if (certificates.isEmpty()) {
            throw new CaFileException("it holds no certificate in PEM form (a -----BEGIN CERTIFICATE----- block)");
        }
        return certificates;
    }

    /** Why a CA file cannot be used, in words that complete "cannot be used: ...". */
    static final class CaFileException extends Exception {

        CaFileException(String reason) {
            super(reason, null, false, false);
        }
    }
}
