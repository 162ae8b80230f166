package io.hearth.gateway.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files and directories only their owner can read: what the gateway keeps holds other users' output, settings and
 * keys. Created with explicit permissions, so the process's umask does not matter.
 */
public final class OwnerOnly {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final FileAttribute<Set<PosixFilePermission>> DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private OwnerOnly() {}

    /** Creates the directory and any missing parents as 0700; returns it. */
    public static Path directories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            directories(parent);
        }
        try {
            Files.createDirectory(dir, DIR);
        } catch (FileAlreadyExistsException e) {
            // made by another thread meanwhile
        }
        return dir;
    }

    /** Creates the file (0600) and its directories (0700) if it does not exist yet; returns it. */
    public static Path file(Path file) throws IOException {
        directories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, FILE);
        } catch (FileAlreadyExistsException e) {
            // kept as it is: it was made owner-only, or the start-up check made it so
        }
        return file;
    }

    /**
     * Takes group and other permissions away from {@code root} and everything under it (symbolic links are left
     * alone: their own mode means nothing); returns what was changed, as "path: old -> new". An entry that vanishes
     * meanwhile (an engine from before a restart rotating its log) is passed over.
     */
    public static List<String> restrict(Path root) throws IOException {
        List<String> changed = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                restrictOne(dir, changed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isSymbolicLink()) {
                    restrictOne(file, changed);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return changed;
    }

    private static void restrictOne(Path p, List<String> changed) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
            kept.addAll(perms);
            if (kept.removeAll(OTHERS)) {
                Files.setPosixFilePermissions(p, kept);
                changed.add(p + ": " + PosixFilePermissions.toString(perms) + " -> " + PosixFilePermissions.toString(kept));
            }
        } catch (NoSuchFileException e) {
            // gone meanwhile
        }
    }
}
