package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The privilege step that starts an engine as its user's OS account, and the directory that account works in.
 *
 * <p>The gateway runs as root and starts the engine through {@code setpriv} (util-linux): real and effective user and
 * group ids set to the account's, its supplementary groups initialised from the group database, nothing else changed;
 * the process then is that user's, with no capabilities. Root stays able to stop it, read its log and find it again
 * after a restart.
 *
 * <p>Each engine gets its own directory, owned by its account and closed to everyone else (0700): its working
 * directory (Spark's {@code spark-warehouse}, Derby's metastore), its log (which it rotates in place, so the account must
 * own the directory) and its settings file. It is outside the gateway's state directory, which no engine may enter,
 * under a root the gateway owns that others may pass through but not list (0711).
 */
public final class RunAs {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PASS_THROUGH = PosixFilePermissions.fromString("rwx--x--x");

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
     * Makes the directory of the engine log {@code logFile} the account's own, fresh: anything in it from before (a
     * session of the same id of an earlier gateway with this work dir) is removed first. Returns the directory.
     */
    static Path prepare(Path logFile, OsAccount account) throws IOException {
        Path dir = logFile.toAbsolutePath().getParent();
        try (Stream<Path> entries = Files.list(dir)) {
            boolean stale = entries.anyMatch(p -> !p.equals(logFile.toAbsolutePath()));
            if (stale || Files.size(logFile) > 0) {
                deleteTree(dir);
                Files.createDirectories(dir);
                Files.createFile(logFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        handOver(account, dir);
        handOver(account, logFile);
        return dir;
    }

    /** Makes {@code dir} the account's own, fresh (whatever was there before is removed); returns it. */
    static Path prepareDir(Path dir, OsAccount account) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(dir);
        }
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        handOver(account, dir);
        return dir;
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
