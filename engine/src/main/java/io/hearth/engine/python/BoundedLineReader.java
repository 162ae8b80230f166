package io.hearth.engine.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a child process's output as lines of at most {@code maxBytes}: a longer line (a child may write hundreds of
 * megabytes without a newline) comes in pieces, each cut at a UTF-8 character boundary and flagged, so the memory a
 * reader holds is bounded whatever the child writes. Not thread-safe: one pump thread reads.
 */
final class BoundedLineReader {

    /** The longest piece of a line returned at once. */
    static final int DEFAULT_MAX_BYTES = 64 * 1024;

    /** A line, or a piece of one when {@code cut}: the line goes on in the next. */
    record Line(String text, boolean cut) {}

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int end;
    private final byte[] line;
    /** Bytes of the line being read; after a cut, those of a character the cut would have split. */
    private int length;

    BoundedLineReader(InputStream in, int maxBytes) {
        if (maxBytes < 4) {
            throw new IllegalArgumentException("a line piece must hold at least one character (4 bytes)");
        }
        this.in = in;
        this.line = new byte[maxBytes];
    }

    /** The next line or piece of one, or null at the end of the stream. */
    Line next() throws IOException {
        while (true) {
            if (pos == end) {
                int n = in.read(buffer);
                if (n < 0) {
                    return length == 0 ? null : whole(length);
                }
                pos = 0;
                end = n;
            }
            int i = pos;
            int room = line.length - length;
            int limit = Math.min(end, pos + room);
            while (i < limit && buffer[i] != '\n') {
                i++;
            }
            System.arraycopy(buffer, pos, line, length, i - pos);
            length += i - pos;
            pos = i;
            if (i < end && buffer[i] == '\n') {
                pos++;
                return whole(length);
            }
            if (length == line.length) {
                return cut();
            }
        }
    }

    private Line whole(int n) {
        int stop = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        String text = new String(line, 0, stop, StandardCharsets.UTF_8);
        length = 0;
        return new Line(text, false);
    }

    /** The full buffer up to the last whole character; the bytes of a character cut in two begin the next piece. */
    private Line cut() {
        int keep = length;
        for (int back = 1; back <= 3 && length - back >= 0; back++) {
            int b = line[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead byte
            }
            int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            if (size > back) {
                keep = length - back; // the character starting here is not complete yet
            }
            break;
        }
        String text = new String(line, 0, keep, StandardCharsets.UTF_8);
        System.arraycopy(line, keep, line, 0, length - keep);
        length -= keep;
        return new Line(text, true);
    }
}
