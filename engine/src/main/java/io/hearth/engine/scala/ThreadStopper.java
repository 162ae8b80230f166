package io.hearth.engine.scala;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a statement's code on the calling thread so that another thread can stop it: first with
 * {@link Thread#interrupt()} (what blocking calls and well-behaved loops answer), and if the code still runs after a
 * grace period, with {@link Thread#stop()}, which also ends a busy loop that never looks at its interrupt flag.
 * {@code Thread.stop} works up to Java 19; from Java 20 it throws {@link UnsupportedOperationException}, and then
 * such a loop runs on until the engine is restarted (its Spark jobs are cancelled all the same).
 */
final class ThreadStopper {

    private static final Logger log = LoggerFactory.getLogger(ThreadStopper.class);
    private static final long NONE = Long.MIN_VALUE;
    /** After a stop, how long the thread waits for a ThreadDeath still on its way, so that it cannot hit the caller. */
    private static final long DRAIN_MILLIS = 200;

    private final ScheduledExecutorService timer;
    private final Duration stopGrace;

    private final Object lock = new Object();
    // Guarded by lock.
    /** The last statement an interrupt was asked for: it may come just before that statement reaches run(). */
    private long requestedId = NONE;
    private long runningId = NONE;
    private Thread runningThread;
    private boolean stopSent;

    /**
     * @param timer     a thread the caller owns, used to escalate after {@code stopGrace}
     * @param stopGrace how long interrupted code may take to stop by itself before it is stopped by force
     */
    ThreadStopper(ScheduledExecutorService timer, Duration stopGrace) {
        this.timer = timer;
        this.stopGrace = stopGrace;
    }

    /**
     * Runs {@code body} for statement {@code id} on this thread; {@code whenStopped} gives the result when the forced
     * stop came out of {@code body} as a {@link ThreadDeath}. The thread's interrupt flag is clear when this returns.
     */
    <T> T run(long id, Supplier<T> body, Supplier<T> whenStopped) {
        synchronized (lock) {
            runningId = id;
            runningThread = Thread.currentThread();
            stopSent = false;
            if (requestedId == id) {
                interruptRunning(id);
            }
        }
        try {
            try {
                return body.get();
            } finally {
                boolean drain = leave();
                if (drain) {
                    drainStop();
                }
            }
        } catch (ThreadDeath stopped) {
            leave();
            return whenStopped.get();
        } finally {
            Thread.interrupted(); // the runner's own waiting must not see the statement's interrupt
        }
    }

    /**
     * Interrupts statement {@code id}, now if it is running here or as soon as it reaches {@link #run}, and stops it by
     * force if it ignores that.
     */
    void interrupt(long id) {
        synchronized (lock) {
            requestedId = id;
            if (runningId == id) {
                interruptRunning(id);
            }
        }
    }

    /** Called with the lock held, for the statement now running. */
    private void interruptRunning(long id) {
        runningThread.interrupt();
        timer.schedule(() -> stopIfStillRunning(id), stopGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopIfStillRunning(long id) {
        synchronized (lock) {
            // Under the lock: run() cannot leave the statement between this check and the stop being sent.
            if (runningId != id || stopSent) {
                return;
            }
            try {
                stopByForce(runningThread);
                stopSent = true;
                log.warn("statement {} ignored its interrupt for {} ms: its thread was stopped", id,
                        stopGrace.toMillis());
            } catch (UnsupportedOperationException e) {
                log.warn("statement {} ignores its interrupt and this Java ({}) cannot stop a thread: it runs on",
                        id, Runtime.version().feature());
            }
        }
    }

    // Thread.stop is the only way to end a loop that never checks for interrupts while keeping the session's state.
    // Its danger (monitors released mid-update) is confined to the user's own code, which the user asked to stop.
    @SuppressWarnings({"deprecation", "removal"})
    private static void stopByForce(Thread thread) {
        thread.stop();
    }

    /** @return whether a stop was sent to this statement */
    private boolean leave() {
        synchronized (lock) {
            runningId = NONE;
            runningThread = null;
            return stopSent;
        }
    }

    /**
     * A ThreadDeath is delivered when the thread next reaches a safepoint check; the user's code often catches it
     * (the REPL does), but one sent just as the code ended may still be pending. Sleeping reaches such checks.
     */
    private static void drainStop() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (ThreadDeath | InterruptedException ignored) {
                // the pending stop (or its accompanying interrupt) arrived here, where it does no harm
            }
        }
    }
}
