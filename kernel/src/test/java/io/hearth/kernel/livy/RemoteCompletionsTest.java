package io.hearth.kernel.livy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteCompletionsTest {

    @Test
    void livyCandidatesThatRepeatTheDottedNameReplaceAllOfIt() {
        RemoteCompletions c = RemoteCompletions.withoutCursors(List.of("spark.range(", "spark.rangeOf"), "x = spark.ra", 12);
        assertEquals(4, c.cursorStart());
        assertEquals(12, c.cursorEnd());
    }

    @Test
    void livyMemberNamesReplaceOnlyTheLastPartOfTheName() {
        RemoteCompletions c = RemoteCompletions.withoutCursors(List.of("range", "rawTable"), "spark.ra", 8);
        assertEquals(6, c.cursorStart());
        assertEquals(8, c.cursorEnd());
    }

    @Test
    void aPlainWordIsReplacedFromItsStartAndTheCursorIsKeptInsideTheCode() {
        RemoteCompletions c = RemoteCompletions.withoutCursors(List.of("SELECT"), "SEL", 99);
        assertEquals(0, c.cursorStart());
        assertEquals(3, c.cursorEnd());
        assertEquals(List.of(), RemoteCompletions.withoutCursors(null, "", 0).candidates());
    }

    @Test
    void cursorsCountCodePointsAsJupyterDoes() {
        RemoteCompletions c = RemoteCompletions.withoutCursors(List.of("SELECT"), "\uD83D\uDE00 SEL", 5);
        assertEquals(2, c.cursorStart());
        assertEquals(5, c.cursorEnd());
    }
}
