package io.hearth.engine.start;

import io.hearth.protocol.SessionLogFile;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The session log, kept within its cap where the bytes reach the disk: the engine's {@code System.out} and
 * {@code System.err} (Spark's logs, executors' prints in local mode, Python's stdout and stderr through their pumps,
 * Python workers' through Spark's redirect threads) all write through this one stream. Before a write would take the
 * file past half the cap, the file is copied to its rotated part (which then starts with a marker counting the bytes
 * dropped before it) and truncated: the two hold the cap plus one marker line at most. Copy and truncate, not rename,
 * because the JVM's own descriptors 1 and 2 (opened by the launcher in append mode) keep pointing at the file; what is
 * written to them directly (native code) counts at the next check. Plain streams rather than channels: a write from a
 * thread being interrupted (a cancelled statement) must not close the log. Thread-safe.
 */
public final class CappedSessionLog extends OutputStream {

    private static final int COPY_BUFFER = 64 * 1024;

    private final Path file;
    private final Path rotated;
    private final long half;
    private final FileOutputStream out;
    /** Output bytes (not counting its marker) in the rotated part. */
    private long rotatedBytes;
    private long dropped;

    CappedSessionLog(Path file, long maxBytes) throws IOException {
        if (maxBytes < 2) {
            throw new IllegalArgumentException("the session log cap must be at least 2 bytes: " + maxBytes);
        }
        this.file = file;
        this.rotated = SessionLogFile.rotated(file);
        this.half = maxBytes / 2;
        this.out = new FileOutputStream(file.toFile(), true);
        this.rotatedBytes = Files.exists(rotated) ? Files.size(rotated) : 0;
    }

    /**
     * Makes the log the launcher named ({@link SessionLogFile#PATH_ENV}) the destination of {@code System.out} and
     * {@code System.err}, capped; does nothing when the launcher named none (a cluster-mode driver, whose output is
     * the cluster's to keep, or a hand-started engine). Log4j is then configured again: its console appender keeps
     * the stream it found when it started, which spark-submit (and this class's own logger) did before the engine's
     * main ran.
     */
    public static void install(Map<String, String> env) {
        String path = env.get(SessionLogFile.PATH_ENV);
        String max = env.get(SessionLogFile.MAX_BYTES_ENV);
        if (path == null || path.isBlank() || max == null || max.isBlank()) {
            return;
        }
        try {
            PrintStream capped = new PrintStream(new CappedSessionLog(Path.of(path), Long.parseLong(max.trim())),
                    true, StandardCharsets.UTF_8);
            System.setOut(capped);
            System.setErr(capped);
            ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false))
                    .reconfigure();
        } catch (IOException | RuntimeException e) {
            System.err.println("[hearth] the session log " + path + " cannot be capped (" + e
                    + "); writing to it uncapped");
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            long size = Files.size(file);
            if (size > 0 && size + Math.min(len, half) > half) {
                rotate(size);
            }
            int n = (int) Math.min(len, half);
            out.write(b, off, n);
            off += n;
            len -= n;
        }
    }

    /**
     * The file's first {@code size} bytes become the rotated part, after a marker; the file starts again empty. The
     * rotated part is written beside and renamed over the old one, so a reader never sees half of it; an engine that
     * runs as its user's account may not add names to the log's directory (the gateway's, so that nobody can put a link
     * where the gateway reads), and rewrites the rotated part the launcher made for it in place instead.
     */
    private void rotate(long size) throws IOException {
        dropped += rotatedBytes;
        boolean replace = Files.isWritable(file.toAbsolutePath().getParent());
        Path next = replace ? rotated.resolveSibling(rotated.getFileName() + ".new") : rotated;
        if (replace) {
            Files.deleteIfExists(next);
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        long copied = 0;
        try (FileOutputStream to = new FileOutputStream(next.toFile());
             FileInputStream from = new FileInputStream(file.toFile())) {
            if (dropped > 0) {
                to.write((SessionLogFile.droppedMarker(dropped) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while (copied < size && (n = from.read(buffer, 0, (int) Math.min(buffer.length, size - copied))) > 0) {
                to.write(buffer, 0, n);
                copied += n;
            }
        }
        if (replace) {
            Files.move(next, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        // Whatever another writer appended since the copy is lost with the truncation: a few lines at most.
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(0);
        }
        rotatedBytes = copied;
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }
}
