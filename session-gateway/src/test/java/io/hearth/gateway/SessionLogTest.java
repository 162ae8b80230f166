package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionLogTest {

    @Test
    void keepsOnlyTheLastLinesUpToItsCapacity() {
        SessionLog log = new SessionLog(3);
        for (int i = 1; i <= 5; i++) {
            log.append("line " + i);
        }
        assertEquals(List.of("line 3", "line 4", "line 5"), log.tail(10));
        assertEquals(List.of("line 5"), log.tail(1));
    }

    @Test
    void pagesLikeLivyTailByDefaultWindowWithFromAllWithNegativeSize() {
        SessionLog log = new SessionLog(100);
        for (int i = 0; i < 10; i++) {
            log.append("l" + i);
        }
        assertEquals(new SessionLog.Page(7, 10, List.of("l7", "l8", "l9")), log.page(null, 3));
        assertEquals(new SessionLog.Page(2, 10, List.of("l2", "l3")), log.page(2, 2));
        assertEquals(new SessionLog.Page(8, 10, List.of("l8", "l9")), log.page(8, -1));
        assertEquals(new SessionLog.Page(10, 10, List.of()), log.page(50, 5));
        assertEquals(10, log.page(null, -1).lines().size());
    }
}
