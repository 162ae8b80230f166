package io.hearth.engine.python;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JVM threads running calls from Python right now, and the one serving the running statement's Python thread (py4j
 * pins one JVM thread to each Python thread). A cancel interrupts that thread only while it runs a call, and an
 * interrupt never outlives the call it was sent to: otherwise it would fail whatever that thread did next, such as the
 * next statement's Spark job.
 */
final class PythonCalls {

    private static final long NONE = Long.MIN_VALUE;

    private final Object lock = new Object();
    // All guarded by lock.
    /** Threads in a call from Python, with how deep (a call can call back into Python, which calls the JVM again). */
    private final Map<Thread, Integer> depths = new HashMap<>();
    /** Threads this class interrupted during their current call. */
    private final Set<Thread> interrupted = new HashSet<>();
    private long servedStatement = NONE;
    private Thread server;

    /** A call from Python starts on the calling thread. */
    void enter() {
        synchronized (lock) {
            depths.merge(Thread.currentThread(), 1, Integer::sum);
        }
    }

    /** That call ends; an interrupt sent to it is cleared, so that it cannot hit the thread's next call. */
    void exit() {
        Thread current = Thread.currentThread();
        synchronized (lock) {
            int depth = depths.merge(current, -1, Integer::sum);
            if (depth > 0) {
                return;
            }
            depths.remove(current);
            if (interrupted.remove(current)) {
                Thread.interrupted();
            }
        }
    }

    /**
     * The calling thread serves the Python thread that runs {@code statementId}; returns the thread that served it
     * until now, if another one did (Python left it behind in a call).
     */
    Optional<Thread> serve(long statementId) {
        Thread current = Thread.currentThread();
        synchronized (lock) {
            Thread previous = servedStatement == statementId && server != current ? server : null;
            servedStatement = statementId;
            server = current;
            return Optional.ofNullable(previous);
        }
    }

    /** The statement has ended: no interrupt is sent for it any more. */
    void release(long statementId) {
        synchronized (lock) {
            if (servedStatement == statementId) {
                servedStatement = NONE;
                server = null;
            }
        }
    }

    /** Interrupts the thread serving {@code statementId} if it is running a call from Python; whether it did. */
    boolean interrupt(long statementId) {
        synchronized (lock) {
            if (servedStatement != statementId || server == null || !depths.containsKey(server)) {
                return false;
            }
            server.interrupt();
            interrupted.add(server);
            return true;
        }
    }
}
