package io.hearth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Only new text comes out of a growing hearth.streams list, in printed order. */
class StreamCursorTest {

    private static StreamChunk out(String text) {
        return new StreamChunk("stdout", text);
    }

    private static StreamChunk err(String text) {
        return new StreamChunk("stderr", text);
    }

    @Test
    void growingChunkEmitsOnlyTheNewPart() {
        StreamCursor cursor = new StreamCursor();
        assertEquals(List.of(out("a")), cursor.advance(List.of(out("a"))));
        assertEquals(List.of(out("bc")), cursor.advance(List.of(out("abc"))));
        assertEquals(List.of(), cursor.advance(List.of(out("abc"))));
        assertEquals(3, cursor.emitted("stdout"));
    }

    @Test
    void interleavedStreamsKeepTheirOrder() {
        StreamCursor cursor = new StreamCursor();
        assertEquals(List.of(out("1\n")), cursor.advance(List.of(out("1\n"))));
        // stderr printed, then stdout again: a new stdout chunk after the stderr one.
        assertEquals(List.of(err("warn\n"), out("2\n")),
                cursor.advance(List.of(out("1\n"), err("warn\n"), out("2\n"))));
        assertEquals(List.of(out("3\n")),
                cursor.advance(List.of(out("1\n"), err("warn\n"), out("2\n3\n"))));
        assertEquals(List.of(err("more"), out("4")),
                cursor.advance(List.of(out("1\n"), err("warn\n"), out("2\n3\n"), err("more"), out("4"))));
        assertEquals(7, cursor.emitted("stdout"));
        assertEquals(9, cursor.emitted("stderr"));
    }

    @Test
    void manyChangesBetweenPollsComeOutTogether() {
        StreamCursor cursor = new StreamCursor();
        cursor.advance(List.of(out("ab")));
        assertEquals(List.of(out("c"), err("x"), out("d")),
                cursor.advance(List.of(out("abc"), err("x"), out("d"))));
    }

    @Test
    void emptyAndNullTextIsIgnored() {
        StreamCursor cursor = new StreamCursor();
        assertEquals(List.of(), cursor.advance(List.of(out(""), new StreamChunk("stderr", null))));
        assertEquals(List.of(), cursor.advance(List.of()));
    }

    @Test
    void unicodeIsNotSplit() {
        StreamCursor cursor = new StreamCursor();
        assertEquals(List.of(out("h\u00e9")), cursor.advance(List.of(out("h\u00e9"))));
        assertEquals(List.of(out("\uD83D\uDD25!")), cursor.advance(List.of(out("h\u00e9\uD83D\uDD25!"))));
    }
}
