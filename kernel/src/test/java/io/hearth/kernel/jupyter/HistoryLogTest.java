package io.hearth.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import org.junit.jupiter.api.Test;

/** history_request answers: tail, range and glob search over the cells the kernel ran. */
class HistoryLogTest {

    private static HistoryLog history() {
        HistoryLog log = new HistoryLog();
        log.add(1, "a = 1", null);
        log.add(2, "1 + 1", "2");
        log.add(3, "print(a)", null);
        log.add(4, "1 + 1", "2");
        return log;
    }

    @Test
    void tailGivesTheLastCellsInOrder() {
        assertEquals("[[1,3,\"print(a)\"],[1,4,\"1 + 1\"]]", history().tail(2, false).toString());
        assertEquals("[[1,4,[\"1 + 1\",\"2\"]]]", history().tail(1, true).toString());
        assertEquals("[[1,3,[\"print(a)\",null]]]", history().range(0, 3, 4, true).toString());
    }

    @Test
    void rangeCountsFromStartUpToStop() {
        assertEquals("[[1,2,\"1 + 1\"],[1,3,\"print(a)\"]]", history().range(1, 2, 4, false).toString());
        assertEquals(2, history().range(HistoryLog.SESSION, 3, 0, false).size());
        assertEquals(0, history().range(7, 1, 0, false).size(), "another session has none of these cells");
    }

    @Test
    void searchMatchesWholeInputsAgainstAGlob() {
        assertEquals(2, history().search("1 + *", 0, false, false).size());
        JsonArray unique = history().search("1 + *", 0, true, false);
        assertEquals("[[1,4,\"1 + 1\"]]", unique.toString());
        assertEquals("[[1,4,\"1 + 1\"]]", history().search("*", 1, false, false).toString());
        assertEquals(0, history().search("1", 0, false, false).size(), "the whole input must match");
        assertEquals(1, history().search("print(?)", 0, false, false).size());
    }
}
