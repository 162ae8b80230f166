package io.hearth.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The event history's rules: ids, resume points, progress coalescing, the wake-up and the end. */
class StatementEventLogTest {

    private static StatementEvent.ProgressData progress(double p) {
        return new StatementEvent.ProgressData(p, List.of());
    }

    @Test
    void consecutiveProgressEventsCoalesceIntoTheLatestUnderANewIdAndOthersStay() {
        StatementEventLog log = new StatementEventLog();
        log.add(StatementEvent.STATE, new StatementEvent.StateData("running"));
        for (int i = 1; i <= 1000; i++) {
            log.add(StatementEvent.PROGRESS, progress(i / 1000.0));
        }
        log.add(StatementEvent.OUTPUT, new StatementEvent.OutputData("stdout", "x"));
        log.add(StatementEvent.PROGRESS, progress(1.0));
        List<StatementEvent> all = log.after(0).events();
        assertEquals(List.of(1L, 1001L, 1002L, 1003L), all.stream().map(StatementEvent::id).toList());
        assertEquals(progress(1.0), all.get(1).data());
        assertEquals(StatementEvent.OUTPUT, all.get(2).type());
    }

    @Test
    void aResumePointGetsExactlyTheEventsAfterItEvenWhenItsOwnEventWasCoalescedAway() {
        StatementEventLog log = new StatementEventLog();
        log.add(StatementEvent.STATE, new StatementEvent.StateData("running"));
        log.add(StatementEvent.PROGRESS, progress(0.1));
        long seen = log.after(0).events().get(1).id();
        log.add(StatementEvent.PROGRESS, progress(0.5));
        List<StatementEvent> rest = log.after(seen).events();
        assertEquals(1, rest.size());
        assertEquals(progress(0.5), rest.get(0).data());
        assertEquals(List.of(), log.after(rest.get(0).id()).events());
    }

    @Test
    void eachEventCompletesTheFutureAWaiterHoldsAndHandsOutANewOne() {
        StatementEventLog log = new StatementEventLog();
        CompletableFuture<Void> waiting = log.after(0).changed();
        assertFalse(waiting.isDone());
        log.add(StatementEvent.STATE, new StatementEvent.StateData("waiting"));
        assertTrue(waiting.isDone());
        assertNotSame(waiting, log.after(0).changed());
        assertFalse(log.after(0).changed().isDone());
    }

    @Test
    void theResultEndsTheLogAndNothingFollowsIt() {
        StatementEventLog log = new StatementEventLog();
        log.add(StatementEvent.STATE, new StatementEvent.StateData("available"));
        assertFalse(log.after(0).complete());
        log.add(StatementEvent.RESULT, null);
        log.add(StatementEvent.OUTPUT, new StatementEvent.OutputData("stdout", "late"));
        StatementEventLog.Page page = log.after(0);
        assertTrue(page.complete());
        assertEquals(List.of(StatementEvent.STATE, StatementEvent.RESULT),
                page.events().stream().map(StatementEvent::type).toList());
    }
}
