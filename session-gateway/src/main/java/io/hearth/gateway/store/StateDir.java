package io.hearth.gateway.store;

import io.hearth.gateway.files.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's state directory ({@code hearth.state.dir}): its layout, and a lock that keeps a second gateway from
 * using it at the same time (the lock dies with the process, so a killed gateway never leaves it held).
 */
public final class StateDir implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateDir.class);

    private final Path root;
    private final FileChannel lockFile;
    private final FileLock lock;

    private StateDir(Path root, FileChannel lockFile, FileLock lock) {
        this.root = root;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Creates the directory and locks it. Everything in it is made owner-only (it holds users' output and settings,
     * the master key and session secrets), a directory of an earlier version with wider modes too: the gateway fixes
     * the modes and logs each change rather than refusing to start, because the directory is the gateway's own (its
     * user owns it, nobody else should read it) and a one-user installation should not need a manual chmod.
     */
    public static StateDir open(Path root) throws IOException {
        OwnerOnly.directories(root);
        FileChannel ch = FileChannel.open(OwnerOnly.file(root.resolve("gateway.lock")), StandardOpenOption.WRITE);
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
        List<String> changed = OwnerOnly.restrict(root);
        if (!changed.isEmpty()) {
            LOG.warn("The state directory {} was readable by other users: {} entries made owner-only (e.g. {})", root,
                    changed.size(), String.join("; ", changed.subList(0, Math.min(5, changed.size()))));
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

    /** The private key of the engine channel's TLS certificate (owner-only, as everything here). */
    public Path channelKey() {
        return root.resolve("channel-key.pem");
    }

    /** The engine channel's certificate, whose fingerprint engines pin: kept so that they still match after a restart. */
    public Path channelCertificate() {
        return root.resolve("channel-cert.pem");
    }

    /** The engine log of a session: the engine writes it directly, so it outlives the gateway that started it. */
    public Path engineLog(int sessionId) {
        return root.resolve("sessions").resolve(Integer.toString(sessionId)).resolve("engine.log");
    }

    /** Where batch logs and exit files go: kept for as long as their batch is listed, across restarts. */
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
