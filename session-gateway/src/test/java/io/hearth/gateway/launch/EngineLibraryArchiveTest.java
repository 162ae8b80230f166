package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one file that carries the engine's libraries to YARN containers: their bytes by name, made once, readable. */
class EngineLibraryArchiveTest {

    @TempDir
    Path dir;

    @Test
    void holdsEachLibraryByItsFileNameStoredAndIsMadeOnceForTheSameFiles() throws Exception {
        Path a = Files.write(dir.resolve("a-1.0.jar"), new byte[] {1, 2, 3});
        Path b = Files.write(dir.resolve("b-2.0.jar"), "bee".repeat(1000).getBytes());
        try (EngineLibraryArchive archives = new EngineLibraryArchive(dir)) {
            Path archive = archives.of(List.of(a, b));
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                List<String> names = new ArrayList<>();
                zip.stream().forEach(e -> {
                    names.add(e.getName());
                    assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                });
                assertEquals(List.of("a-1.0.jar", "b-2.0.jar"), names);
                assertArrayEquals(Files.readAllBytes(b), zip.getInputStream(zip.getEntry("b-2.0.jar")).readAllBytes());
            }
            FileTime made = Files.getLastModifiedTime(archive);
            assertEquals(archive, archives.of(List.of(a, b)));
            assertEquals(made, Files.getLastModifiedTime(archive), "not written again");

            // Run-as engines' spark-submit reads it; only the gateway's account may change what becomes code.
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive.getParent())));

            Files.write(b, "changed".getBytes());
            Files.setLastModifiedTime(b, FileTime.fromMillis(made.toMillis() + 5_000));
            Path remade = archives.of(List.of(a, b));
            assertNotEquals(archive, remade, "a changed library makes another archive");
            try (ZipFile zip = new ZipFile(remade.toFile())) {
                assertArrayEquals("changed".getBytes(), zip.getInputStream(zip.getEntry("b-2.0.jar")).readAllBytes());
            }
            archives.close();
            assertFalse(Files.exists(remade.getParent()), "close removes the archives' directory");
        }
    }
}
