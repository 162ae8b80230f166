package io.hearth.gateway.pool;

import io.hearth.gateway.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid and start time of every pooled engine, in a small file of the state dir: pooled engines are not sessions, so
 * the state store does not know them, and a gateway that restarts after a crash finds its predecessor's here and stops
 * them instead of leaving them running (they would never be taken).
 */
public final class PoolRecord {

    private static final Logger LOG = LoggerFactory.getLogger(PoolRecord.class);

    /** A pooled engine's process: pid and start time (epoch ms), which together never name a recycled pid. */
    public record Entry(long pid, long startedAt) {}

    private final Path file;

    public PoolRecord(Path file) {
        this.file = file;
    }

    /** What the last gateway wrote; empty when there is no record or it cannot be read (logged). */
    public List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2) {
                    entries.add(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Could not read the pooled engines' record {}: {}", file, e.getMessage());
        }
        return entries;
    }

    /** Replaces the record with these engines, atomically: a crash mid-write leaves the old record or the new one. */
    public void write(Collection<Entry> engines) {
        StringBuilder text = new StringBuilder();
        engines.forEach(e -> text.append(e.pid()).append(' ').append(e.startedAt()).append('\n'));
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            // Owner-only from its creation, like everything in the state dir, whatever the umask.
            Files.writeString(OwnerOnly.file(temp), text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not write the pooled engines' record {}: {}", file, e.getMessage());
        }
    }
}
