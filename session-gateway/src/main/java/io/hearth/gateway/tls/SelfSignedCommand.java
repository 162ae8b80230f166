package io.hearth.gateway.tls;

import io.hearth.gateway.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hearth-gateway tls-selfsigned HOST...}: a CA of one's own and a server certificate it signs, for a test or a
 * small team, and the settings that use them. Run again with the same directory, it keeps the CA and issues a new
 * server certificate (rotation: a running gateway picks it up by itself).
 */
@Command(name = "tls-selfsigned", mixinStandardHelpOptions = true,
        description = {"Writes a CA (ca.pem, ca-key.pem) and a server certificate for HOST... (server.pem with the chain,"
                + " server-key.pem) into --out, and prints the gateway settings and what clients need.",
                "An existing CA in the directory (or --ca DIR) is reused: only the server certificate is new."})
public final class SelfSignedCommand implements Callable<Integer> {

    static final String CA = "ca.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String SERVER = "server.pem";
    static final String SERVER_KEY = "server-key.pem";
    /** A new CA outlives the certificates it issues for years: rotating the server's does not touch clients. */
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Issued a little in the past, so that a host whose clock is slightly behind accepts it at once. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    @Parameters(arity = "1..*", paramLabel = "HOST", description = "Names and IP addresses clients reach the gateway by"
            + " (each becomes a DNS or IP subject alternative name).")
    private List<String> hosts;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "hearth-tls",
            description = "Directory to write to (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--ca", paramLabel = "DIR", description = "Issue with the CA in DIR (ca.pem, ca-key.pem) instead of"
            + " --out's own.")
    private Path caDir;

    @Option(names = "--days", defaultValue = "365", description = "Days the server certificate is valid"
            + " (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--not-before", paramLabel = "DATE", description = "Start of the validity, YYYY-MM-DD (UTC) or an"
            + " ISO instant; default: an hour ago. With a date in the past and a short --days it makes an expired"
            + " certificate, for tests.")
    private String notBefore;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException, GeneralSecurityException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (days < 1) {
            err.println("tls-selfsigned: --days must be at least 1");
            return 2;
        }
        for (String h : hosts) {
            if (!h.matches("[A-Za-z0-9.\\-:*]+")) {
                err.println("tls-selfsigned: not a host name or IP address: " + h);
                return 2;
            }
        }
        Instant start;
        try {
            start = notBefore == null ? Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(CLOCK_SKEW) : parseStart(notBefore);
        } catch (DateTimeParseException e) {
            err.println("tls-selfsigned: --not-before takes YYYY-MM-DD or an ISO instant (2020-01-01T00:00:00Z), not "
                    + notBefore);
            return 2;
        }
        Path dir = out.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path caFrom = caDir == null ? dir : caDir.toAbsolutePath().normalize();
        CertificateMaker maker = new CertificateMaker();
        CertificateMaker.Issued ca;
        if (Files.exists(caFrom.resolve(CA)) && Files.exists(caFrom.resolve(CA_KEY))) {
            try {
                ServerIdentity existing = new PemIdentity(caFrom.resolve(CA), caFrom.resolve(CA_KEY)).load();
                ca = new CertificateMaker.Issued(existing.key(), existing.leaf());
            } catch (IllegalArgumentException e) {
                err.println("tls-selfsigned: the CA in " + caFrom + " cannot be used: " + e.getMessage());
                return 2;
            }
            stdout.println("Using the CA in " + caFrom);
        } else if (caDir != null) {
            err.println("tls-selfsigned: no " + CA + " and " + CA_KEY + " in --ca " + caFrom);
            return 2;
        } else {
            ca = maker.certificateAuthority("Hearth CA " + hosts.get(0) + " " + Instant.now(), start,
                    start.plus(CA_VALIDITY));
            write(dir.resolve(CA_KEY), CertificateMaker.pem(ca.key()), true);
            write(dir.resolve(CA), CertificateMaker.pem(List.of(ca.certificate())), false);
            stdout.println("Wrote a new CA: " + dir.resolve(CA) + " (its key " + dir.resolve(CA_KEY)
                    + ", mode 600: keep it off the gateway host if you can)");
        }
        Instant end = start.plus(Duration.ofDays(days));
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (end.isAfter(caEnd)) {
            end = caEnd;
            stdout.println("The server certificate ends with its CA, at " + caEnd);
        }
        CertificateMaker.Issued server = maker.server(ca, hosts, start, end);
        // Key first, then the chain: a gateway watching the files sees a mismatched pair for a moment and waits for it.
        write(dir.resolve(SERVER_KEY), CertificateMaker.pem(server.key()), true);
        write(dir.resolve(SERVER), CertificateMaker.pem(List.<X509Certificate>of(server.certificate(),
                ca.certificate())), false);
        stdout.println("Wrote the server certificate for " + String.join(", ", hosts) + ": " + dir.resolve(SERVER)
                + " (with the CA), its key " + dir.resolve(SERVER_KEY) + " (mode 600), serial "
                + server.certificate().getSerialNumber().toString(16) + ", valid " + start + " to " + end);
        stdout.println();
        stdout.println("Gateway settings (config file, or the environment variables):");
        stdout.println("  " + Settings.TLS_CERT_FILE.key() + "=" + dir.resolve(SERVER) + "    # "
                + Settings.TLS_CERT_FILE.env());
        stdout.println("  " + Settings.TLS_KEY_FILE.key() + "=" + dir.resolve(SERVER_KEY) + "    # "
                + Settings.TLS_KEY_FILE.env());
        stdout.println("Clients trust the CA:");
        stdout.println("  Hearth kernels: \"ca_file\": \"" + dir.resolve(CA) + "\" in ~/.config/hearth/kernel.json,"
                + " or HEARTH_GATEWAY_CA_FILE=" + dir.resolve(CA));
        stdout.println("  sparkmagic, pylivy, requests: REQUESTS_CA_BUNDLE=" + dir.resolve(CA)
                + "  (it replaces the system's trusted CAs for that process)");
        stdout.println("  curl: --cacert " + dir.resolve(CA));
        stdout.flush();
        return 0;
    }

    private static Instant parseStart(String text) {
        return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Written beside, then renamed over the old file: a reader sees the old file or the new one, whole. */
    private static void write(Path file, String text, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
