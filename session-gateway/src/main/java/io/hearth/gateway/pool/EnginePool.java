package io.hearth.gateway.pool;

import io.hearth.gateway.threads.NamedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Started, idle engines kept for new sessions: filled in the background from the gateway's start, refilled after each
 * hand-over once the new session lets it ({@link Refill}), a dead one replaced (with a growing pause after engines that
 * die before they are ready, so that a broken Spark set-up does not spin), one older than the max idle age replaced by a fresh one. It launches only while
 * {@code room} says sessions leave room, and gives an engine up when a session needs the room ({@link #evictOne}).
 */
public final class EnginePool<E extends PooledEngine> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EnginePool.class);

    /** How often the pool looks for dead, old or missing engines: the precision of the replacements. */
    static final Duration CHECK = Duration.ofSeconds(1);
    static final Duration FIRST_BACK_OFF = Duration.ofSeconds(5);
    static final Duration MAX_BACK_OFF = Duration.ofMinutes(5);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(20);
    /** How long a request that may take a starting engine waits for one being launched: a fork, on a loaded machine. */
    static final Duration LAUNCH_WAIT = Duration.ofSeconds(3);
    /**
     * The latest a refill waits once a handed-over engine is ready when the new session's first statement has not
     * finished (nor the session ended) by then: a refill beside a new session's first cell nearly doubled its time.
     */
    static final Duration REFILL_BOUND = Duration.ofSeconds(30);

    private final int size;
    private final Duration maxIdle;
    private final PooledEngine.Launcher<E> launcher;
    private final BooleanSupplier room;
    private final PoolRecord record;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread;
    /** Guarded by this. */
    private final List<E> engines = new ArrayList<>();
    /**
     * Engines {@link #take} gave out whose hand-over is not over, or whose session has not yet let the pool refill:
     * they still count, so nothing refills for them yet, and an engine still starting still finds its session here.
     */
    private final List<E> lent = new ArrayList<>();
    private int failedStarts;
    private long nextLaunchAt;
    private boolean closed;
    /** The pool's thread is about to launch, or launching, an engine: {@link #take} may wait for it to be in the pool. */
    private boolean launching;

    /**
     * @param size     engines to keep
     * @param maxIdle  an engine not taken within this of its launch is replaced
     * @param room     whether one more engine fits beside the sessions (the session caps)
     * @param record   where the engines' pids are kept for a restarted gateway
     */
    public EnginePool(int size, Duration maxIdle, PooledEngine.Launcher<E> launcher, BooleanSupplier room,
                      PoolRecord record, LongSupplier clock) {
        this.size = size;
        this.maxIdle = maxIdle;
        this.launcher = launcher;
        this.room = room;
        this.record = record;
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                new NamedThreadFactory("hearth-pool", true));
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
    }

    /** Begins filling, in the background: nothing here waits for an engine. */
    public void start() {
        synchronized (this) {
            // Its first engine is on its way: a request at the gateway's start waits for its launch, not for its start.
            launching = size > 0;
        }
        thread.scheduleWithFixedDelay(this::maintain, 0, CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * An engine taken out of the pool: a ready one, else with {@code orStarting} one still starting (one JVM starting
     * alone gets ready sooner than two side by side), waiting up to {@link #LAUNCH_WAIT} for one being launched (a
     * request right at the gateway's start); empty when there is none to take.
     */
    public synchronized Optional<E> take(boolean orStarting) throws InterruptedException {
        Optional<E> taken = engines.stream().filter(PooledEngine::ready).findFirst();
        long deadline = System.nanoTime() + LAUNCH_WAIT.toNanos();
        while (taken.isEmpty() && orStarting) {
            taken = engines.stream().filter(e -> !e.gone()).findFirst();
            long left = deadline - System.nanoTime();
            if (taken.isPresent() || !launching || closed || left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        taken.ifPresent(e -> {
            engines.remove(e);
            lent.add(e);
            written();
        });
        return taken;
    }

    /** Puts back an engine {@link #take} gave that the request could not use, unchanged. */
    public synchronized void giveBack(E engine) {
        lent.remove(engine);
        if (closed) {
            engine.discard();
            return;
        }
        engines.add(engine);
        written();
    }

    /**
     * An engine {@link #take} gave is a session now, or was stopped: the returned {@link Refill} says when the pool may
     * refill, so that a starting JVM does not take the cores from the new session's first cells.
     */
    public Refill handedOver(E engine) {
        return new Refill(engine);
    }

    /**
     * When the pool refills after a hand-over: at {@link #now} (the new session's first statement has finished, or it
     * ended; at once for a stopped engine) or {@link #REFILL_BOUND} after {@link #startBound} (its engine is ready),
     * whichever is first. Neither blocks; both may be called more than once, on any thread.
     */
    public final class Refill {

        private final E engine;
        private final AtomicBoolean bounded = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();

        private Refill(E engine) {
            this.engine = engine;
        }

        /** The session's engine is ready: the pool refills {@link #REFILL_BOUND} from now at the latest. */
        public void startBound() {
            if (bounded.compareAndSet(false, true)) {
                try {
                    thread.schedule(this::now, REFILL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    // The pool is closed: there is nothing to refill.
                }
            }
        }

        /** The pool may refill now. */
        public void now() {
            if (done.compareAndSet(false, true)) {
                try {
                    thread.execute(() -> returned(engine));
                } catch (RejectedExecutionException e) {
                    // The pool is closed: there is nothing to refill.
                }
            }
        }
    }

    /** On the pool's thread: a lent engine no longer holds the refill back. */
    private void returned(E engine) {
        synchronized (this) {
            lent.remove(engine);
        }
        maintain();
    }

    /**
     * The engine launched under this id, while it is in the pool or lent: one taken while it started may dial back
     * before its session is listed.
     */
    public synchronized Optional<E> find(int id) {
        return java.util.stream.Stream.concat(engines.stream(), lent.stream()).filter(e -> e.id() == id).findFirst();
    }

    /** Engines in the pool now, ready or starting. */
    public synchronized int count() {
        return engines.size();
    }

    /** Engines in the pool now that a request could take. */
    public synchronized int readyCount() {
        return (int) engines.stream().filter(PooledEngine::ready).count();
    }

    /** Gives up one engine (a starting one first) so that a session can have its room; false when there is none. */
    public synchronized boolean evictOne() {
        Optional<E> victim = engines.stream().filter(e -> !e.ready()).findFirst()
                .or(() -> engines.stream().findFirst());
        victim.ifPresent(e -> {
            LOG.info("Pooled engine {} stopped to make room for a session", e.id());
            engines.remove(e);
            written();
            e.discard();
        });
        return victim.isPresent();
    }

    private void refillSoon() {
        if (!closed) {
            thread.execute(this::maintain);
        }
    }

    /** Drops dead engines, replaces old ones, and launches what is missing while the sessions leave room. */
    private void maintain() {
        try {
            boolean launch;
            List<E> toProbe;
            synchronized (this) {
                if (closed) {
                    return;
                }
                long now = clock.getAsLong();
                int before = engines.size();
                for (E e : List.copyOf(engines)) {
                    if (e.gone()) {
                        engines.remove(e);
                        if (!e.everReady()) {
                            failedStarts++;
                            long pause = Math.min(MAX_BACK_OFF.toMillis(),
                                    FIRST_BACK_OFF.toMillis() << Math.min(failedStarts - 1, 16));
                            nextLaunchAt = now + pause;
                            e.discard();
                            LOG.warn("Pooled engine {} died before it was ready ({} in a row); the next in {} s (see its"
                                    + " log for why)", e.id(), failedStarts, pause / 1000);
                        } else {
                            LOG.info("Pooled engine {} died; starting another", e.id());
                        }
                    } else if (now - e.launchedAt() >= maxIdle.toMillis()) {
                        LOG.info("Pooled engine {} was not taken within the max idle age; replacing it", e.id());
                        engines.remove(e);
                        e.discard();
                    } else if (e.ready()) {
                        failedStarts = 0;
                    }
                }
                toProbe = engines.stream().filter(e -> e.started() && !e.ready()).toList();
                launch = engines.size() + lent.size() < size && now >= nextLaunchAt && room.getAsBoolean();
                launching = launch;
                if (!launch) {
                    notifyAll();
                }
                if (engines.size() != before) {
                    written();
                }
            }
            if (launch) {
                launchOne();
            }
            // Outside the lock: a take() must not wait for an engine's answer.
            toProbe.forEach(PooledEngine::probe);
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log the bug and keep the pool going.
            LOG.error("Maintaining the engine pool failed", e);
        } finally {
            synchronized (this) {
                if (launching) {
                    launching = false;
                    notifyAll();
                }
            }
        }
    }

    /** Launches one engine, outside the lock (a launch forks a process); one at a time, on the pool's thread. */
    private void launchOne() {
        E engine;
        try {
            engine = launcher.launch();
        } catch (java.io.IOException | RuntimeException e) {
            synchronized (this) {
                failedStarts++;
                nextLaunchAt = clock.getAsLong() + Math.min(MAX_BACK_OFF.toMillis(),
                        FIRST_BACK_OFF.toMillis() << Math.min(failedStarts - 1, 16));
                launching = false;
                notifyAll();
            }
            LOG.warn("Could not launch a pooled engine: {}", e.getMessage());
            return;
        }
        boolean keep;
        synchronized (this) {
            keep = !closed;
            if (keep) {
                engines.add(engine);
                written();
            }
            launching = false;
            notifyAll();
        }
        if (!keep) {
            engine.discard();
        } else if (count() + lentNow() < size) {
            refillSoon();
        }
    }

    private synchronized int lentNow() {
        return lent.size();
    }

    /** Under this lock: the record says what the pool holds now. */
    private void written() {
        record.write(engines.stream().map(e -> new PoolRecord.Entry(e.pid(), e.startedAt())).toList());
    }

    /** Stops every pooled engine and the pool's thread; returns once their processes are gone (or after a bound). */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            stops = engines.stream().map(PooledEngine::discard).toList();
            engines.clear();
            written();
        }
        thread.shutdownNow();
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(CLOSE_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("Pooled engines still stopping after {} s: {}", CLOSE_BOUND.toSeconds(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
