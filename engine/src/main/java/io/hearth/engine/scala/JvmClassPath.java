package io.hearth.engine.scala;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * This JVM's class path as a list of real entries: {@code java.class.path} with every jar's manifest
 * {@code Class-Path} followed. {@code java -jar hearth-engine.jar} and Surefire's booter jar name one jar whose
 * manifest lists the rest; the Scala compiler and executor JVMs need the entries themselves.
 */
public final class JvmClassPath {

    private JvmClassPath() {
    }

    /** The expanded class path of this JVM, in order, without duplicates. */
    public static List<Path> entries() {
        return expand(System.getProperty("java.class.path", ""));
    }

    /** {@code classPath} (entries separated as on this platform) with manifest class paths followed. */
    static List<Path> expand(String classPath) {
        Set<Path> seen = new LinkedHashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                add(Path.of(entry).toAbsolutePath().normalize(), seen);
            }
        }
        return new ArrayList<>(seen);
    }

    /** {@link #entries()} joined with the platform's path separator. */
    public static String asString() {
        List<String> parts = new ArrayList<>();
        entries().forEach(p -> parts.add(p.toString()));
        return String.join(File.pathSeparator, parts);
    }

    private static void add(Path entry, Set<Path> seen) {
        if (!seen.add(entry) || !entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        String manifestClassPath;
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            manifestClassPath = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        } catch (IOException e) {
            return; // an unreadable jar adds nothing; the JVM itself would ignore its manifest too
        }
        if (manifestClassPath == null) {
            return;
        }
        for (String ref : manifestClassPath.trim().split("\\s+")) {
            if (!ref.isEmpty()) {
                add(resolve(entry, ref), seen);
            }
        }
    }

    /** Manifest entries are URLs relative to the jar: Surefire writes absolute file: URLs, Maven's jar plugin paths. */
    private static Path resolve(Path jar, String ref) {
        URI base = jar.getParent().toUri();
        return Path.of(base.resolve(ref)).toAbsolutePath().normalize();
    }
}
