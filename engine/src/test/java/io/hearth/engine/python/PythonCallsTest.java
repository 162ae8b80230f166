package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interrupt of the JVM thread serving a Python statement: only mid-call, and never left for the next call. */
class PythonCallsTest {

    private final PythonCalls calls = new PythonCalls();

    @AfterEach
    void clearFlag() {
        Thread.interrupted();
    }

    @Test
    void theServingThreadIsInterruptedOnlyWhileItRunsACallFromPython() {
        calls.serve(1);
        assertFalse(calls.interrupt(1), "between calls");
        calls.enter();
        assertTrue(calls.interrupt(1));
        assertTrue(Thread.currentThread().isInterrupted());
        calls.exit();
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt ended with its call");
        assertFalse(calls.interrupt(1), "between calls again");
    }

    @Test
    void aCallbackIntoPythonKeepsTheOuterCallInterruptedUntilItEnds() {
        calls.serve(1);
        calls.enter();
        calls.enter(); // Python, called back from the outer call, calls the JVM again on this thread
        assertTrue(calls.interrupt(1));
        calls.exit();
        assertTrue(Thread.currentThread().isInterrupted(), "the outer call is still running");
        calls.exit();
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void onlyTheServedStatementIsInterruptedAndNotAfterItEnded() {
        calls.serve(1);
        calls.enter();
        assertFalse(calls.interrupt(2), "another statement");
        calls.release(1);
        assertFalse(calls.interrupt(1), "the statement has ended");
        assertFalse(Thread.currentThread().isInterrupted());
        calls.exit();
    }

    @Test
    void anInterruptTheCallDidNotGetFromHereStaysOnTheThread() {
        calls.serve(1);
        calls.enter();
        Thread.currentThread().interrupt(); // someone else's, e.g. py4j shutting the connection down
        calls.exit();
        assertTrue(Thread.currentThread().isInterrupted());
    }

    @Test
    void aThreadTakingTheStatementOverNamesTheOneItReplaces() throws Exception {
        calls.serve(1);
        Thread first = Thread.currentThread();
        CompletableFuture<Optional<Thread>> replaced = new CompletableFuture<>();
        Thread second = new Thread(() -> replaced.complete(calls.serve(1)), "test-second-serving-thread");
        second.start();
        second.join();
        assertEquals(Optional.of(first), replaced.get());
        calls.enter();
        assertFalse(calls.interrupt(1), "the left thread is not the one to interrupt any more");
        calls.exit();
    }
}
