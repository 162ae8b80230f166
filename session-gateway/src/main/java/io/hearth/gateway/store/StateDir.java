package io.hearth.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The gateway's state directory ({@code hearth.state.dir}): its layout, and a lock that keeps a second gateway from
 * using it at the same time (the lock dies with the process, so a killed gateway never leaves it held).
 */
public final class StateDir implements AutoCloseable {

    private final Path root;
    private final FileChannel lockFile;
    private final FileLock lock;

    private StateDir(Path root, FileChannel lockFile, FileLock lock) {
        this.root = root;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /** Creates the directory (owner-only: it holds session logs and the master key) and locks it. */
    public static StateDir open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root.getParent() == null ? root : root.getParent());
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        FileChannel ch = FileChannel.open(root.resolve("gateway.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by another gateway in this very JVM
        }
        if (lock == null) {
            ch.close();
            throw new IOException("another gateway is using the state directory " + root
                    + "; stop it, or give this one its own hearth.state.dir");
        }
        return new StateDir(root, ch, lock);
    }

    public Path root() {
        return root;
    }

    public Path database() {
        return root.resolve("state.db");
    }

    public Path masterKey() {
        return root.resolve("master.key");
    }

    /** The engine log of a session: the engine writes it directly, so it outlives the gateway that started it. */
    public Path engineLog(int sessionId) {
        return root.resolve("sessions").resolve(Integer.toString(sessionId)).resolve("engine.log");
    }

    /** Where batch logs go: batches are not kept across restarts, their logs only for as long as the batch is listed. */
    public Path batchLogs() {
        return root.resolve("batches");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
