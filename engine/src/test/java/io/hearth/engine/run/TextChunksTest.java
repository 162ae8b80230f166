package io.hearth.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Output goes to the gateway in bounded pieces. */
class TextChunksTest {

    @Test
    void longTextIsSplitIntoBoundedChunksWithoutBreakingSurrogatePairs() {
        String text = "ab\uD83D\uDE00cd"; // an emoji is two chars
        List<String> chunks = TextChunks.split(text, 3);
        assertEquals(String.join("", chunks), text);
        chunks.forEach(c -> assertTrue(c.length() <= 3));
        chunks.forEach(c -> assertFalse(Character.isHighSurrogate(c.charAt(c.length() - 1)), chunks.toString()));
        assertEquals(List.of(""), TextChunks.split("", 3));
    }
}
