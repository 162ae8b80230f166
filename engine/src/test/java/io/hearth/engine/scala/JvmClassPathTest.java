package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class path handed to the Scala compiler and to executors: manifest-only jars are opened up. */
class JvmClassPathTest {

    @TempDir
    Path temp;

    @Test
    void manifestClassPathsAreFollowedRelativeToTheirJarInOrderWithoutDuplicates() throws Exception {
        Path lib = Files.createDirectories(temp.resolve("lib"));
        Path leaf = jar(lib.resolve("leaf.jar"), null);
        Path other = Files.createDirectories(temp.resolve("classes"));
        // Maven's jar plugin writes relative paths; Surefire's booter absolute file: URLs.
        Path main = jar(temp.resolve("main.jar"), "lib/leaf.jar " + other.toUri() + " lib/leaf.jar");
        Path outer = jar(temp.resolve("outer.jar"), main.getFileName().toString());

        List<Path> entries = JvmClassPath.expand(outer + File.pathSeparator + leaf);

        assertEquals(List.of(outer, main, leaf, other), entries);
    }

    private static Path jar(Path path, String classPath) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return path.toAbsolutePath().normalize();
    }
}
