package io.hearth.protocol;

import java.nio.file.Path;
import java.util.Map;

/**
 * The session log file as the engine writes it and the gateway reads it: a launcher names the file and its cap in the
 * engine's environment; the engine keeps the file and its rotated part ({@link #rotated}) within the cap together,
 * starting the rotated part with {@link #droppedMarker} once older output is gone.
 */
public final class SessionLogFile {

    /** The file the engine's stdout and stderr go to (the launcher opened it; the engine rotates it). */
    public static final String PATH_ENV = "HEARTH_SESSION_LOG";
    /** The most bytes the file and its rotated part hold together. */
    public static final String MAX_BYTES_ENV = "HEARTH_SESSION_LOG_MAX_BYTES";
    /** The gateway setting the cap comes from, named in the marker so that a reader knows what to raise. */
    public static final String SETTING = "hearth.session.log-max-size";

    private SessionLogFile() {}

    /** The variables a launcher sets for an engine whose log is {@code file}, capped at {@code maxBytes}. */
    public static Map<String, String> variables(Path file, long maxBytes) {
        return Map.of(PATH_ENV, file.toAbsolutePath().toString(), MAX_BYTES_ENV, Long.toString(maxBytes));
    }

    /** The older part of the log, kept beside it: read before the file itself. */
    public static Path rotated(Path file) {
        return file.resolveSibling(file.getFileName() + ".1");
    }

    /** The line that says where output was dropped. */
    public static String droppedMarker(long bytes) {
        return "[hearth] " + bytes + " bytes of earlier output dropped (" + SETTING + ")";
    }
}
