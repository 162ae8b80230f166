package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The privilege step that starts an engine (or a batch's spark-submit) as its user's OS account, and the place that
 * account works in.
 *
 * <p>The gateway runs as root and starts the command through {@code setpriv} (util-linux): real and effective user and
 * group ids set to the account's, its supplementary groups initialised from the group database, nothing else changed;
 * the process then is that user's, with no capabilities. Root stays able to stop it, read its log and find it again
 * after a restart.
 *
 * <p>Each engine gets a directory of the gateway's under the work root, which the account may pass through but not
 * change (0711): it holds the files the gateway itself opens, the log and its rotated part (owned by the account, which
 * writes and rotates them in place, but which cannot replace them with links or pipes for a root gateway to follow),
 * and {@code work/}, the account's own (0700): its working directory (Spark's {@code spark-warehouse}, Derby's
 * metastore) and where its settings file is moved to, for the engine to delete once read. The gateway never opens a
 * path under {@code work/} (it only renames into it and deletes there, neither of which follows a link), and removes a
 * stale {@code work/} as its owner. The work root itself is outside the gateway's state directory, which no engine
 * may enter.
 */
public final class RunAs {

    /** The account's own part of a place: its working directory. */
    static final String WORK = "work";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PASS_THROUGH = PosixFilePermissions.fromString("rwx--x--x");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private RunAs() {}

    /** {@code command}, run as {@code account}. */
    static List<String> command(OsAccount account, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + account.uid(), "--regid=" + account.gid(),
                "--init-groups", "--"));
        cmd.addAll(command);
        return cmd;
    }

    /** The variables that say whose process it is: the account's home and name, not the gateway's. */
    static Map<String, String> identity(OsAccount account) {
        return Map.of("HOME", account.home().toString(), "USER", account.name(), "LOGNAME", account.name());
    }

    /**
     * Makes {@code dir} a fresh place for {@code account} (anything from before, an earlier gateway's session or batch
     * of the same id, removed) with the given files created empty and handed to the account; returns its
     * {@code work/}.
     */
    static Path prepare(Path dir, OsAccount account, Path... files) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            clear(dir);
        } else {
            Files.createDirectory(dir);
        }
        Files.setPosixFilePermissions(dir, PASS_THROUGH);
        for (Path file : files) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
            handOver(account, file);
        }
        Path work = Files.createDirectory(dir.resolve(WORK), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        handOver(account, work);
        return work;
    }

    /** Moves {@code file} (in the gateway's part of a place) into {@code work}, the account's; returns its new path. */
    static Path moveInto(Path work, Path file) throws IOException {
        // A rename replaces whatever has that name, a link included, without following it.
        return Files.move(file, work.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Gives {@code path} to the account (the engine reads, rotates or deletes it). */
    static void handOver(OsAccount account, Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", account.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", account.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Creates the root of the engines' directories if missing, 0711 and the gateway's; refuses one that another user
     * owns, that others may write to, or that is a link (a shared temp dir is where someone could have put it first).
     */
    public static Path openWorkRoot(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(root.toAbsolutePath().getParent());
            Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PASS_THROUGH));
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the engines' work dir " + root + " is not a directory (or is a link); remove it, or"
                    + " set hearth.engine.work-dir");
        }
        int owner = (Integer) Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != OsAccount.currentUid()) {
            throw new IOException("the engines' work dir " + root + " belongs to uid " + owner + ", not to the gateway;"
                    + " remove it, or set hearth.engine.work-dir");
        }
        Files.setPosixFilePermissions(root, PASS_THROUGH);
        return root;
    }

    /**
     * Empties a place: its {@code work/} as the account that owns it ({@code find -delete}, which follows no link, with
     * that account's rights only), then the gateway's own entries.
     */
    private static void clear(Path dir) throws IOException {
        Path work = dir.resolve(WORK);
        if (Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
            int uid = (Integer) Files.getAttribute(work, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int gid = (Integer) Files.getAttribute(work, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            // From inside it (the gateway changes into it before dropping its rights): its parents may be closed to the owner.
            Process find = new ProcessBuilder("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--",
                    "find", ".", "-mindepth", "1", "-delete").directory(work.toFile()).redirectErrorStream(true)
                    .start();
            find.getOutputStream().close();
            String out = new String(find.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                if (!find.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || find.exitValue() != 0) {
                    find.destroyForcibly();
                    throw new IOException("cannot empty the stale directory " + work + ": " + out.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while emptying " + work, e);
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                // The gateway's own entries (the account could not make links here); an empty work/ among them.
                Files.delete(entry);
            }
        }
    }
}
