package io.hearth.kernel.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterruptsTest {

    @Test
    void interruptsOutsideACellAreForgotten() {
        Interrupts interrupts = new Interrupts();
        interrupts.request();
        interrupts.beginCell();
        assertEquals(0, interrupts.requested());
        interrupts.request();
        interrupts.request();
        assertEquals(2, interrupts.requested());
        interrupts.endCell();
        assertEquals(0, interrupts.requested());
    }

    @Test
    void eachInterruptDuringTheCellWakesItsWaitAndNoneAfterIt() {
        Interrupts interrupts = new Interrupts();
        AtomicInteger wakes = new AtomicInteger();
        interrupts.wakeWith(wakes::incrementAndGet); // no cell running: not kept
        interrupts.beginCell();
        interrupts.request();
        assertEquals(0, wakes.get());
        interrupts.wakeWith(wakes::incrementAndGet);
        interrupts.request();
        interrupts.request();
        assertEquals(2, wakes.get());
        interrupts.endCell();
        interrupts.beginCell();
        interrupts.request();
        assertEquals(2, wakes.get(), "the next cell does not wake the last one's wait");
    }

    @Test
    void pauseEndsEarlyOnAnInterrupt() throws Exception {
        Interrupts interrupts = new Interrupts();
        interrupts.beginCell();
        Thread requester = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            interrupts.request();
        }, "test-interrupt-requester");
        requester.start();
        long start = System.nanoTime();
        interrupts.pause(10_000);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        requester.join();
        assertTrue(waited < 5_000, "waited " + waited + " ms");
        assertEquals(1, interrupts.requested());
    }

    @Test
    void pauseWaitsWithoutInterrupts() throws Exception {
        Interrupts interrupts = new Interrupts();
        long start = System.nanoTime();
        interrupts.pause(30);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(29));
    }
}
