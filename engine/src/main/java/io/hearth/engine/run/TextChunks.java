package io.hearth.engine.run;

import java.util.ArrayList;
import java.util.List;

/** Splits long output into pieces small enough for one channel message each, never inside a surrogate pair. */
final class TextChunks {

    private TextChunks() {
    }

    static List<String> split(String text, int maxChars) {
        if (maxChars < 2) {
            throw new IllegalArgumentException("maxChars must be at least 2 to keep surrogate pairs whole");
        }
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (text.length() - start > maxChars) {
            int end = start + maxChars;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        if (start < text.length() || chunks.isEmpty()) {
            chunks.add(text.substring(start));
        }
        return chunks;
    }
}
