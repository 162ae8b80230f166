package io.hearth.engine.run;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Interpreter;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementFinished;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import io.hearth.protocol.StatementKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the session's statements in arrival order, one at a time, on its own thread, and reports each one to the sink:
 * {@code StatementStarted}, {@code Output} while it prints and {@code Progress} while its Spark jobs run, then
 * {@code StatementFinished}.
 */
public final class StatementRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatementRunner.class);

    /** Output is sent in pieces of at most this many characters, far below the channel's line limit. */
    public static final int MAX_OUTPUT_CHARS = 32 * 1024;
    /** An error's text is cut to this share of the output limit, so that it always fits one channel message. */
    private static final int ERROR_SHARE_OF_LIMIT = 16;
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final Map<StatementKind, Interpreter> interpreters;
    private final StatementJobs jobs;
    private final StatementProgress progress;
    private final StatementSink sink;
    private final LongSupplier maxStatementOutput;
    private final BooleanSupplier sparkStopped;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // All guarded by lock: the message loop (submit, cancel) and the worker both touch them.
    private final ArrayDeque<EngineStatement> queue = new ArrayDeque<>();
    private EngineStatement running;
    private boolean runningCancelled;
    /** When the running statement's cancel came (System.nanoTime), for the log. */
    private long runningCancelledAt;
    private boolean closed;
    // Touched by the worker thread only.
    private int executionCount;
    /** The last statement that ran, for saying when the SparkContext stopped; -1 before the first. */
    private long lastRun = -1;
    /** Why no statement can run any more (the SparkContext stopped), once it is so; the gateway has been told. */
    private String unusable;

    /**
     * @param interpreters the interpreter of each kind this runner accepts; the map is copied
     * @param maxStatementOutput the most bytes one statement may return (the gateway's
     *                           {@code hearth.statement.max-output}), asked at each statement's start: a gateway that
     *                           restarted may have changed it
     * @param sparkStopped whether the session's SparkContext has stopped (a statement stopped it past every guard, or
     *                     Spark did): asked after each statement and before the next, since no statement can work then
     */
    public StatementRunner(Map<StatementKind, Interpreter> interpreters, StatementJobs jobs, StatementProgress progress,
                           StatementSink sink, LongSupplier maxStatementOutput, BooleanSupplier sparkStopped) {
        this.interpreters = new EnumMap<>(StatementKind.class);
        this.interpreters.putAll(interpreters);
        this.jobs = jobs;
        this.progress = progress;
        this.sink = sink;
        this.maxStatementOutput = maxStatementOutput;
        this.sparkStopped = sparkStopped;
        this.worker = new Thread(this::runLoop, "hearth-statement-runner");
    }

    public void start() {
        worker.start();
    }

    /** Queues the statement behind those already waiting. */
    public void submit(EngineStatement statement) {
        lock.lock();
        try {
            if (closed) {
                log.warn("statement {} arrived while the engine is shutting down; it will not run", statement.id());
                return;
            }
            queue.addLast(statement);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A queued statement is dropped and reported cancelled at once; the running one has its Spark jobs cancelled and
     * its interpreter interrupted, and is reported when it has stopped. Anything else is already over: ignored.
     */
    public void cancel(long statementId) {
        EngineStatement toInterrupt = null;
        lock.lock();
        try {
            if (queue.removeIf(s -> s.id() == statementId)) {
                sink.send(cancelledBeforeStart(statementId));
                log.info("statement {} cancelled before it started", statementId);
                return;
            }
            if (running != null && running.id() == statementId) {
                if (!runningCancelled) {
                    runningCancelledAt = System.nanoTime();
                }
                runningCancelled = true;
                toInterrupt = running;
            }
        } finally {
            lock.unlock();
        }
        if (toInterrupt == null) {
            log.info("cancel of statement {} ignored: it is neither queued nor running", statementId);
            return;
        }
        log.info("cancelling running statement {}", statementId);
        interruptRunning(toInterrupt);
    }

    /** Stops the worker: queued statements are reported cancelled and the running one is interrupted. */
    @Override
    public void close() {
        EngineStatement toInterrupt;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (EngineStatement s : queue) {
                sink.send(cancelledBeforeStart(s.id()));
            }
            queue.clear();
            toInterrupt = running;
            if (running != null && !runningCancelled) {
                runningCancelledAt = System.nanoTime();
                runningCancelled = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (toInterrupt != null) {
            interruptRunning(toInterrupt);
        }
        if (worker.isAlive() && Thread.currentThread() != worker) {
            try {
                worker.join(CLOSE_WAIT_MILLIS);
                if (worker.isAlive()) {
                    // The interpreter ignored the interrupt: a thread interrupt makes it give up waiting.
                    worker.interrupt();
                    worker.join(CLOSE_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (worker.isAlive()) {
                log.warn("the statement runner thread did not stop within {} ms", 2 * CLOSE_WAIT_MILLIS);
            }
        }
    }

    /** Completion by the interpreter of {@code kind} (as the gateway named it); never waits for a running statement. */
    public Completion complete(String kind, String code, int cursor) {
        return interpreterOf(kind).map(i -> i.complete(code, cursor)).orElse(Completion.none(cursor));
    }

    /** What the interpreter of {@code kind} (as the gateway named it) documents at the cursor; never waits either. */
    public Documentation inspect(String kind, String code, int cursor, int detailLevel) {
        return interpreterOf(kind).map(i -> i.inspect(code, cursor, detailLevel)).orElse(Documentation.notFound());
    }

    private void interruptRunning(EngineStatement statement) {
        try {
            jobs.cancel(statement.id());
        } catch (RuntimeException e) {
            log.warn("could not cancel the Spark jobs of statement {}: {}", statement.id(), e.toString());
        }
        interpreterOf(statement.kind()).ifPresent(interpreter -> interpreter.interrupt(statement.id()));
    }

    private void runLoop() {
        while (true) {
            EngineStatement next;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.await();
                }
                if (closed) {
                    return;
                }
                next = queue.pollFirst();
                running = next;
                runningCancelled = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            runOne(next);
        }
    }

    private void runOne(EngineStatement statement) {
        if (unusable == null && sparkStopped.getAsBoolean()) {
            becameUnusable("the SparkContext stopped " + (lastRun < 0 ? "before statement " + statement.id()
                    : "after statement " + lastRun + " ended") + ", outside any statement; start a new session");
        }
        if (unusable != null) {
            sink.send(new StatementFinished(statement.id(), "available", new Outcome.Failure("SparkContextStopped",
                    unusable, List.of()).toOutput(0), System.currentTimeMillis()));
            return;
        }
        lastRun = statement.id();
        int count = ++executionCount;
        long startNanos = System.nanoTime();
        sink.send(new ChannelMessage.StatementStarted(statement.id(), System.currentTimeMillis()));
        Outcome outcome;
        OutputBudget budget = new OutputBudget(maxStatementOutput.getAsLong());
        long stoppedAt;
        StatementProgress.Tracking tracking = progress.track(statement.id());
        try {
            outcome = withinBudget(execute(statement, count, budget), budget);
            stoppedAt = System.nanoTime();
        } finally {
            endTracking(tracking, statement.id());
            jobs.ended(statement.id());
        }
        budget.cutNotice().ifPresent(notice -> sendOutput(statement.id(), OutputListener.STDERR, notice));
        boolean stoppedSpark = sparkStopped.getAsBoolean();
        if (stoppedSpark) {
            // Said in the cell itself: the session ends right after it.
            sink.send(new ChannelMessage.Output(statement.id(), OutputListener.STDERR, "[hearth] this statement stopped"
                    + " the session's SparkContext: the session is over; start a new session\n"));
        }
        boolean cancelled;
        long cancelledAt;
        lock.lock();
        try {
            cancelled = runningCancelled;
            cancelledAt = runningCancelledAt;
            running = null;
        } finally {
            lock.unlock();
        }
        // A statement that completed before the cancel took effect keeps its result: it did finish.
        String state = cancelled && outcome instanceof Outcome.Failure ? "cancelled" : "available";
        sink.send(new StatementFinished(statement.id(), state, outcome.toOutput(count), System.currentTimeMillis()));
        long now = System.nanoTime();
        // How long a cancel took is what a user waits for after pressing stop: the interpreter, then the report.
        String afterCancel = cancelled ? String.format(" (%d ms after the cancel; the interpreter stopped after %d ms)",
                TimeUnit.NANOSECONDS.toMillis(now - cancelledAt),
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, stoppedAt - cancelledAt))) : "";
        log.info("statement {} {} in {} ms{}{}", statement.id(), state, TimeUnit.NANOSECONDS.toMillis(now - startNanos),
                outcome instanceof Outcome.Failure f ? " with " + f.ename() : "", afterCancel);
        if (stoppedSpark) {
            becameUnusable("the SparkContext was stopped by statement " + statement.id() + "; start a new session");
        }
    }

    /**
     * The last progress report reads Spark's status store, which a statement that stopped the SparkContext has closed:
     * the statement's end must be reported all the same.
     */
    private static void endTracking(StatementProgress.Tracking tracking, long statementId) {
        try {
            tracking.close();
        } catch (RuntimeException e) {
            log.warn("the last progress report of statement {} failed: {}", statementId, e.toString());
        }
    }

    /**
     * No statement can run without the SparkContext, and starting another would leave each interpreter holding
     * objects of the old one: the gateway ends the session with the reason, and later statements fail with it.
     */
    private void becameUnusable(String reason) {
        unusable = reason;
        log.warn("{}", reason);
        sink.send(new ChannelMessage.EngineUnusable(reason));
    }

    private Outcome execute(EngineStatement statement, int count, OutputBudget budget) {
        Optional<Interpreter> found = interpreterOf(statement.kind());
        if (found.isEmpty()) {
            return new Outcome.Failure("UnsupportedKind", "statement kind '" + statement.kind()
                    + "' is not supported; supported kinds: " + StatementKind.describe(interpreters.keySet()),
                    List.of());
        }
        Interpreter interpreter = found.get();
        try {
            return interpreter.run(statement, count, new OutputListener() {
                @Override
                public void write(String stream, String text) {
                    sendOutput(statement.id(), stream, budget.take(text));
                }

                @Override
                public void display(com.google.gson.JsonObject data) {
                    if (budget.takeValue(OutputSize.json(data))) {
                        sink.send(new ChannelMessage.Display(statement.id(), data.deepCopy()));
                    }
                }

                @Override
                public long limit() {
                    return budget.limit();
                }

                @Override
                public void leftOut(long bytes) {
                    budget.leftOut(bytes);
                }
            });
        } catch (Exception e) { // Exception, not RuntimeException: Scala code can throw undeclared checked ones
            // An interpreter must report user errors itself; this is a bug of ours, so say so rather than hang.
            log.error("interpreter for '{}' failed on statement {}", statement.kind(), statement.id(), e);
            return new Outcome.Failure("HearthInternalError", "the engine failed to run the statement: " + e,
                    List.of());
        }
    }

    /**
     * A result that does not fit beside what the statement printed and showed, or output that was cut, ends the
     * statement with the budget's error: a Livy client must never take part of an output for all of it. The user's own
     * error stays (it is what they must see first), its text cut to fit one channel message.
     */
    private static Outcome withinBudget(Outcome outcome, OutputBudget budget) {
        if (outcome instanceof Outcome.Result result && !budget.takeResult(OutputSize.json(result.data()))) {
            return budget.overflow().orElseThrow();
        }
        if (outcome instanceof Outcome.Failure failure) {
            return failure.shortened((int) Math.min(Integer.MAX_VALUE, budget.limit() / ERROR_SHARE_OF_LIMIT));
        }
        return budget.overflow().map(Outcome.class::cast).orElse(outcome);
    }

    private void sendOutput(long statementId, String stream, String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String chunk : TextChunks.split(text, MAX_OUTPUT_CHARS)) {
            sink.send(new ChannelMessage.Output(statementId, stream, chunk));
        }
    }

    /** The interpreter of the kind the gateway named ({@link StatementKind#DEFAULT} when it named none), if any. */
    private Optional<Interpreter> interpreterOf(String kind) {
        return StatementKind.ofStatement(kind).map(interpreters::get);
    }

    /** A statement that never ran has no execution count of its own: Livy's output object gets 0. */
    private static StatementFinished cancelledBeforeStart(long statementId) {
        StatementOutput output = new Outcome.Failure("Cancelled",
                "statement " + statementId + " was cancelled before it started", List.of()).toOutput(0);
        return new StatementFinished(statementId, "cancelled", output, System.currentTimeMillis());
    }

}
