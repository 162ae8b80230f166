package io.hearth.engine.jshell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The directory Spark serves to executors as REPL classes ({@code spark.repl.class.outputDir}): executors load snippet
 * classes from it by binary name, {@code REPL.$JShell$12} being {@code REPL/$JShell$12.class}.
 */
public record ReplClassDirectory(Path root) {

    public void write(String binaryName, byte[] bytes) {
        Path file = root.resolve(binaryName.replace('.', '/') + ".class");
        try {
            Files.createDirectories(file.getParent());
            // Write then rename: an executor fetching the class meanwhile must never see half a class file.
            Path partial = Files.createTempFile(file.getParent(), ".partial-", ".tmp");
            Files.write(partial, bytes);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
