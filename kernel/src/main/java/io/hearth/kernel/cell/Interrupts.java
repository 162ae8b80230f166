package io.hearth.kernel.cell;

/**
 * Interrupt requests for the running cell. The control thread records them; the shell thread, which runs the
 * cell, sees them between polls and cancels the statement (so all of a cell's gateway calls stay on one thread).
 */
public final class Interrupts {

    private static final Runnable NOBODY = () -> { };

    private boolean cellRunning;
    private int requested;
    private Runnable waker = NOBODY;

    /** Marks the start of a cell: earlier interrupts (with no cell running) are forgotten. */
    public synchronized void beginCell() {
        cellRunning = true;
        requested = 0;
    }

    /** Marks the end of a cell: interrupts until the next cell are ignored. */
    public synchronized void endCell() {
        cellRunning = false;
        requested = 0;
        waker = NOBODY;
    }

    /**
     * For the rest of the current cell, {@code wake} runs at each interrupt request (it must not block): it ends the
     * cell thread's wait for its statement's next event, so that the cancel goes out at once.
     */
    public synchronized void wakeWith(Runnable wake) {
        if (cellRunning) {
            waker = wake;
        }
    }

    /** Records one interrupt request and wakes the cell's thread if it is waiting. */
    public synchronized void request() {
        if (cellRunning) {
            requested++;
            notifyAll();
            waker.run();
        }
    }

    /** How many interrupts were requested during the current cell. */
    public synchronized int requested() {
        return requested;
    }

    /** Waits up to {@code millis}, returning early when a new interrupt is requested. */
    public synchronized void pause(long millis) throws InterruptedException {
        int seen = requested;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long remaining = millis;
        while (requested == seen && remaining > 0) {
            wait(remaining);
            remaining = (deadline - System.nanoTime()) / 1_000_000L;
        }
    }
}
