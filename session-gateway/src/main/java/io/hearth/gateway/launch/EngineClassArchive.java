package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * The engine's class-data-sharing archive, {@code hearth-engine.jsa} beside the engine jar (made by {@code bin/hearth}'s
 * build with the engine's {@code ClassArchiveTraining}): the JVM options that map it into a local engine, when it is
 * there and at least as new as the jar, and none otherwise. The JVM itself checks the archive against the class path
 * and ignores one that does not match, so a wrong archive costs only its speed-up, never a start.
 */
final class EngineClassArchive {

    static final String FILE_NAME = "hearth-engine.jsa";

    private EngineClassArchive() {
    }

    /**
     * The engine jar as engines and the archive's training run name it: the JVM checks the class path of an archive by
     * its recorded path, so one spelling (links resolved) for both, however the operator spelled it.
     */
    static Path canonicalJar(Path engineJar) {
        try {
            return engineJar.toRealPath();
        } catch (IOException e) {
            return engineJar.toAbsolutePath();
        }
    }

    /** Where the archive of {@code engineJar} is: beside the jar. */
    static Path pathFor(Path engineJar) {
        return canonicalJar(engineJar).resolveSibling(FILE_NAME);
    }

    /** The options for an engine started from {@code engineJar}; why none, in the session's log. */
    static List<String> options(Path engineJar, SessionLog log) {
        Path archive = pathFor(engineJar);
        if (!Files.isRegularFile(archive)) {
            log.append("[hearth] no class archive " + archive + ": the engine loads its classes from the jars"
                    + " (bin/hearth build makes the archive)");
            return List.of();
        }
        try {
            FileTime archived = Files.getLastModifiedTime(archive);
            if (archived.compareTo(Files.getLastModifiedTime(engineJar)) < 0) {
                log.append("[hearth] the class archive " + archive + " is older than the engine jar: not used"
                        + " (bin/hearth build makes a new one)");
                return List.of();
            }
        } catch (IOException e) {
            log.append("[hearth] the class archive " + archive + " cannot be read (" + e.getMessage() + "): not used");
            return List.of();
        }
        log.append("[hearth] the engine maps the class archive " + archive);
        // auto: a mismatched or unreadable archive is skipped by the JVM with a warning, and the engine starts anyway.
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }
}
