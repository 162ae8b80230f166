package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    private static List<BoundedLineReader.Line> read(String text, int max) throws IOException {
        BoundedLineReader r = new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
        List<BoundedLineReader.Line> lines = new ArrayList<>();
        BoundedLineReader.Line l;
        while ((l = r.next()) != null) {
            lines.add(l);
        }
        return lines;
    }

    private static BoundedLineReader.Line whole(String s) {
        return new BoundedLineReader.Line(s, false);
    }

    private static BoundedLineReader.Line piece(String s) {
        return new BoundedLineReader.Line(s, true);
    }

    @Test
    void shortLinesComeWholeWithoutTheirEndOfLineAndALastLineWithoutNewlineToo() throws IOException {
        assertEquals(List.of(whole("a"), whole(""), whole("b c"), whole("end")), read("a\n\nb c\r\nend", 8));
    }

    @Test
    void aLongLineComesInPiecesOfAtMostTheLimitNeverSplittingACharacter() throws IOException {
        assertEquals(List.of(piece("abcd"), piece("efgh"), whole("ij"), whole("k")), read("abcdefghij\nk\n", 4));
        // "é" is 2 bytes and "€" 3: a piece ends before a character that would not fit whole
        assertEquals(List.of(piece("abcé"), whole("€x")), read("abcé€x", 6));
        assertEquals(List.of(piece("ab"), whole("€")), read("ab€\n", 4));
    }

    @Test
    void anEndlessLineIsReadInBoundedMemory() throws IOException {
        long total = 300L * 1024 * 1024;
        InputStream endless = new InputStream() {
            long left = total;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        BoundedLineReader r = new BoundedLineReader(endless, BoundedLineReader.DEFAULT_MAX_BYTES);
        long bytes = 0;
        long pieces = 0;
        BoundedLineReader.Line l;
        while ((l = r.next()) != null) {
            assertEquals(l.text().length() < BoundedLineReader.DEFAULT_MAX_BYTES ? !l.cut() : l.cut(), true);
            bytes += l.text().length();
            pieces++;
        }
        assertEquals(total, bytes);
        assertEquals(total / BoundedLineReader.DEFAULT_MAX_BYTES, pieces);
        assertNull(r.next());
    }
}
