package io.hearth.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the ever-growing {@code hearth.streams} list into only what was not emitted yet.
 *
 * <p>The gateway merges consecutive chunks of one stream, so the last chunk grows in place and new chunks are
 * appended when the other stream prints. Counting characters per stream (not chunks) is robust to both.
 */
public final class StreamCursor {

    private final Map<String, Integer> emitted = new HashMap<>();

    /** The new text in {@code streams} since the last call, in the order it was printed. */
    public List<StreamChunk> advance(List<StreamChunk> streams) {
        Map<String, Integer> position = new HashMap<>();
        List<StreamChunk> fresh = new ArrayList<>();
        for (StreamChunk chunk : streams) {
            String name = chunk.name() == null ? "stdout" : chunk.name();
            String text = chunk.textOrEmpty();
            int start = position.getOrDefault(name, 0);
            int end = start + text.length();
            position.put(name, end);
            int done = emitted.getOrDefault(name, 0);
            if (end > done) {
                fresh.add(new StreamChunk(name, text.substring(Math.max(0, done - start))));
                emitted.put(name, end);
            }
        }
        return fresh;
    }

    /** How many characters of {@code name} were emitted so far. */
    public int emitted(String name) {
        return emitted.getOrDefault(name, 0);
    }
}
