package io.hearth.gateway.launch;

import io.hearth.gateway.files.OwnerOnly;
import io.hearth.protocol.SessionLogFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's log: a file the engine writes its output to directly (so that it survives the gateway) and the gateway
 * appends its own notes to. Readers see its last {@code capacity} lines; only the file's tail is read, so a chatty
 * engine costs disk, not gateway memory. A session's engine keeps the file and its rotated part
 * ({@link SessionLogFile#rotated}) within {@link #maxBytes} (see the engine's {@code CappedSessionLog}); reads go on
 * into the rotated part. Thread-safe.
 */
public final class SessionLog {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLog.class);

    /** How many lines a session's or batch's log shows at most. */
    public static final int LINES_KEPT = 1000;

    /** How much of the end of the file a read looks at, at most. */
    static final int MAX_READ_BYTES = 4 * 1024 * 1024;
    /** A short tail (every session view quotes one) is looked for in this much of the end of the file first. */
    private static final int SHORT_READ_BYTES = 64 * 1024;

    /** A window of the retained lines: Livy's {@code {from, total, log}} without the session id. */
    public record Page(int from, int total, List<String> lines) {}

    private final Path file;
    private final int capacity;
    private final long maxBytes;

    /** A log whose writer keeps no cap (a batch's driver is the user's program, not the engine). */
    public SessionLog(Path file, int capacity) {
        this(file, capacity, 0);
    }

    /** @param maxBytes the cap the engine is asked to keep the log within; 0 for none */
    public SessionLog(Path file, int capacity, long maxBytes) {
        if (capacity <= 0 || maxBytes < 0) {
            throw new IllegalArgumentException("capacity must be positive, the cap not negative");
        }
        this.file = file;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /** What a launcher tells the engine about this log (where it is, its cap); nothing when it has no cap. */
    public Map<String, String> engineVariables() {
        return maxBytes == 0 ? Map.of() : SessionLogFile.variables(file, maxBytes);
    }

    /** Where the engine's output goes (a launcher appends to it; the file and its directory may not exist yet). */
    public Path file() {
        return file;
    }

    /** Creates the file and its directory owner-only (whatever the umask) if they are missing; returns the file. */
    public Path open() throws IOException {
        return OwnerOnly.file(file);
    }

    public synchronized void append(String line) {
        try {
            open();
            // Opened for append each time, as the engine's own output is: lines from both never overwrite each other.
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot write to the session log {}: {}", file, e.getMessage());
        }
    }

    /** The last {@code n} lines. */
    public synchronized List<String> tail(int n) {
        List<String> lines = lines(SHORT_READ_BYTES);
        if (lines.size() < Math.min(n, capacity)) {
            lines = lines(MAX_READ_BYTES);
        }
        return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * Livy's log window: without {@code from}, the last {@code size} lines; a negative {@code size} means every line
     * from {@code from} on.
     */
    public synchronized Page page(Integer from, int size) {
        List<String> lines = lines(MAX_READ_BYTES);
        int total = lines.size();
        int start = from != null ? Math.max(0, Math.min(from, total))
                : size < 0 ? 0 : Math.max(0, total - size);
        int end = size < 0 ? total : (int) Math.min((long) start + size, total);
        return new Page(start, total, List.copyOf(lines.subList(start, end)));
    }

    /** The retained lines: the last {@code capacity} lines in the last {@code maxBytes} of the rotated part and file. */
    private List<String> lines(int maxBytes) {
        byte[] bytes;
        boolean cut;
        try {
            byte[] newer = readTail(file, maxBytes);
            byte[] older = newer.length < maxBytes ? readTail(SessionLogFile.rotated(file), maxBytes - newer.length)
                    : new byte[0];
            bytes = new byte[older.length + newer.length];
            System.arraycopy(older, 0, bytes, 0, older.length);
            System.arraycopy(newer, 0, bytes, older.length, newer.length);
            cut = bytes.length == maxBytes && sizeOf(file) + sizeOf(SessionLogFile.rotated(file)) > maxBytes;
        } catch (IOException e) {
            LOG.warn("cannot read the session log {}: {}", file, e.getMessage());
            return List.of();
        }
        List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        if (cut && !lines.isEmpty()) {
            lines.remove(0); // it began mid-line
        }
        lines.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return lines.size() <= capacity ? lines : lines.subList(lines.size() - capacity, lines.size());
    }

    private static long sizeOf(Path path) throws IOException {
        return Files.exists(path) ? Files.size(path) : 0;
    }

    /** The last {@code maxBytes} of {@code path}, or all of it; nothing if it does not exist. */
    private static byte[] readTail(Path path, int maxBytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long length = f.length();
            int n = (int) Math.min(length, maxBytes);
            byte[] bytes = new byte[n];
            f.seek(length - n);
            f.readFully(bytes);
            return bytes;
        } catch (java.io.FileNotFoundException e) {
            return new byte[0];
        }
    }
}
