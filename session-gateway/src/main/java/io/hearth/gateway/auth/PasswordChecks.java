package io.hearth.gateway.auth;

import io.hearth.gateway.threads.NamedThreadFactory;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where slow password hashes run: a few threads (half the cores) and a short queue, so that requests with passwords,
 * right or wrong, can never take more than that share of the CPU, and requests with tokens never wait behind them.
 */
final class PasswordChecks implements AutoCloseable {

    /** Checks that may wait per thread: with PBKDF2 at ~0.15 s, a queued check waits at most about half a second. */
    static final int QUEUED_PER_THREAD = 4;

    /** The queue is full: the caller is told to retry shortly. */
    static final class Busy extends Exception {
        Busy() {
            super("too many password checks at once", null, false, false);
        }
    }

    private final ThreadPoolExecutor pool;

    PasswordChecks(int threads) {
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * QUEUED_PER_THREAD),
                new NamedThreadFactory("hearth-password-check", true), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Half the cores, at least one. */
    static PasswordChecks forThisMachine() {
        return new PasswordChecks(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /** Runs {@code check} on the pool and waits for its answer. */
    boolean run(Callable<Boolean> check) throws Busy {
        Future<Boolean> answer;
        try {
            answer = pool.submit(check);
        } catch (RejectedExecutionException e) {
            throw new Busy();
        }
        try {
            return answer.get();
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a password check failed", e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
