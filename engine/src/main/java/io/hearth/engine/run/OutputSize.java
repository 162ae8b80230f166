package io.hearth.engine.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import java.io.Writer;
import java.util.Locale;

/** Sizes of output as the gateway receives it: UTF-8 bytes of text, and of JSON as the channel writes it. */
final class OutputSize {

    // As the channel's codec writes JSON: no HTML escaping, so '<' is one byte, not six.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private OutputSize() {
    }

    /** The UTF-8 length of {@code text}. */
    static long utf8(CharSequence text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800; 3 above; a surrogate pair's 4 bytes are 2 per half.
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /** The UTF-8 length of {@code value} written as JSON, counted as it is written: no copy of a large value. */
    static long json(JsonElement value) {
        Utf8Counter counter = new Utf8Counter();
        GSON.toJson(value, counter);
        return counter.bytes;
    }

    /** How many characters at the start of {@code text} fit in {@code bytes} UTF-8 bytes, never half a surrogate pair. */
    static int prefixChars(String text, long bytes) {
        long used = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int chars = Character.charCount(codePoint);
            long size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (used + size > bytes) {
                break;
            }
            used += size;
            i += chars;
        }
        return i;
    }

    /** "67,108,864 bytes (64 MiB)": exact, and readable. */
    static String describe(long bytes) {
        if (bytes < 1024) {
            return String.format(Locale.ROOT, "%,d bytes", bytes);
        }
        double mib = bytes / (1024.0 * 1024.0);
        String readable = mib >= 1 ? String.format(Locale.ROOT, mib == Math.rint(mib) ? "%.0f MiB" : "%.1f MiB", mib)
                : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%,d bytes (%s)", bytes, readable);
    }

    private static final class Utf8Counter extends Writer {
        long bytes;

        @Override
        public void write(char[] chars, int offset, int length) {
            bytes += utf8(java.nio.CharBuffer.wrap(chars, offset, length));
        }

        @Override
        public void write(String text, int offset, int length) {
            bytes += utf8(text.subSequence(offset, offset + length));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
