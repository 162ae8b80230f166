package io.hearth.gateway.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The engine's libraries that Spark's distribution lacks, as one zip that YARN unpacks into each container of an
 * application ({@code spark.yarn.dist.archives}, under {@link #LINK}): spark-submit then uploads one file per session
 * instead of one per jar (about 40, the S3A connector's SDK modules; a third of a second each on a busy test bed, where
 * they pushed a client-mode submission past a 50 s start timeout). Made once per set of libraries, in a directory of
 * its own that only this gateway's account can write (it becomes code in every container) and that every account can
 * read (run-as engines' spark-submit reads it); removed by {@link #close}.
 */
public final class EngineLibraryArchive implements AutoCloseable {

    /** The directory name the archive is unpacked under in a YARN container's working directory. */
    public static final String LINK = "hearth-libs";

    private final Path parent;
    /** Guarded by this. */
    private Path dir;
    /** Guarded by this: the archive made last and the libraries it holds. */
    private Path made;
    private String madeKey;

    /** @param parent where the archive's own directory is made, at the first {@link #of} */
    public EngineLibraryArchive(Path parent) {
        this.parent = parent;
    }

    /** An archive in the system's temporary directory. */
    public static EngineLibraryArchive inTemp() {
        return new EngineLibraryArchive(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The archive of {@code libraries} (flat, by file name), made now unless these very files were archived before. */
    public synchronized Path of(List<Path> libraries) throws IOException {
        String key = key(libraries);
        if (key.equals(madeKey) && Files.isRegularFile(made)) {
            return made;
        }
        if (dir == null) {
            dir = Files.createTempDirectory(parent, "hearth-engine-libs-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path archive = dir.resolve("hearth-engine-libs-" + key.substring(0, 16) + ".zip");
        Path partial = Files.createTempFile(dir, "partial-", ".zip");
        try {
            write(libraries, partial);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        made = archive;
        madeKey = key;
        return archive;
    }

    /** Jars are compressed already: stored entries cost no CPU here, and nothing on the nodes. */
    private static void write(List<Path> libraries, Path to) throws IOException {
        try (OutputStream file = Files.newOutputStream(to); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setMethod(ZipOutputStream.STORED);
            for (Path jar : libraries) {
                byte[] bytes = Files.readAllBytes(jar);
                ZipEntry entry = new ZipEntry(jar.getFileName().toString());
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }

    /** What identifies a set of library files: their paths, sizes and modification times. */
    private static String key(List<Path> libraries) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path jar : libraries) {
                String line = jar.toAbsolutePath() + "\t" + Files.size(jar) + "\t" + Files.getLastModifiedTime(jar).toMillis()
                        + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
    }

    /** Removes the archives and their directory. */
    @Override
    public synchronized void close() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException | UncheckedIOException e) {
            // A leftover in the temporary directory is harmless: it holds public jars only.
        }
        dir = null;
        made = null;
        madeKey = null;
    }
}
