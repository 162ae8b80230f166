package io.hearth.gateway.launch;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark settings handed to a child process in a properties file only this user can read (created 0600, never widened),
 * instead of its argv, where every local user could read a client's storage keys with {@code ps}.
 */
final class PrivateConfFile {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateConfFile.class);

    private PrivateConfFile() {}

    /** Writes {@code conf} to a new file in {@code dir}; its reader deletes it ({@link #delete} is the fallback). */
    static Path write(Path dir, Map<String, String> conf) throws IOException {
        Path file = Files.createTempFile(dir, "hearth-conf-", ".properties",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Properties props = new Properties();
        props.putAll(conf);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(out, "Spark settings of one Hearth engine or batch; deleted once read");
        } catch (IOException | RuntimeException e) {
            delete(file);
            throw e;
        }
        return file;
    }

    /**
     * Beside the log of the session or batch it is for: that directory is in the gateway's owner-only state dir, so a
     * client's settings never sit in a shared temp directory, and one session's file cannot be mistaken for another's.
     */
    static Path dirOf(SessionLog log) throws IOException {
        return log.open().toAbsolutePath().getParent();
    }

    /** Deletes the file if it is still there (the child may have deleted it already). */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }
}
