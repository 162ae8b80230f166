package io.hearth.engine.python;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Interpreter;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.start.EngineStartException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs pyspark statements in a Python subprocess attached to the engine's own SparkContext through py4j, with
 * {@code spark} and {@code sc} predefined. A process that dies is replaced by a fresh one for the next statement.
 */
public final class PythonInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(PythonInterpreter.class);
    private static final long NO_STATEMENT = Long.MIN_VALUE;

    private final PythonSettings settings;
    private final CompletableFuture<SparkSession> spark;
    private final SecureRandom random = new SecureRandom();
    /** The statement a cancel was asked for; remembered because the cancel may come before Python has it. */
    private final AtomicLong interruptedStatement = new AtomicLong(NO_STATEMENT);

    private final Object lock = new Object();
    // Guarded by lock. Read by interrupt() from the message loop while run() waits on the runner thread.
    private PythonDriverScript script;
    private PythonProcess current;
    private int generation;
    private boolean closed;

    public PythonInterpreter(PythonSettings settings, SparkSession sparkSession) {
        this(settings, CompletableFuture.completedFuture(sparkSession));
    }

    /**
     * @param spark the SparkSession, possibly still starting: {@link #start()} may then run beside Spark's start, and
     *              Python waits for it once its own imports are done; complete it exceptionally if Spark fails
     */
    public PythonInterpreter(PythonSettings settings, CompletableFuture<SparkSession> spark) {
        this.settings = settings;
        this.spark = spark;
    }

    /**
     * Starts the first Python process now and returns when it is attached to Spark, so that a broken Python fails the
     * engine's start, not the first cell.
     */
    public void start() throws EngineStartException {
        synchronized (lock) {
            if (script == null) {
                script = PythonDriverScript.extract();
            }
        }
        replaceProcess();
    }

    @Override
    public Outcome run(EngineStatement statement, int executionCount, OutputListener output) {
        PythonProcess process;
        try {
            process = liveProcess();
        } catch (EngineStartException e) {
            return new Outcome.Failure("InterpreterStartFailed", e.getMessage(), List.of());
        }
        if (interruptedStatement.get() == statement.id()) {
            return new Outcome.Failure("Cancelled", "statement " + statement.id() + " was cancelled before it started",
                    List.of());
        }
        Outcome outcome = process.execute(statement, executionCount, output,
                () -> interruptedStatement.get() == statement.id());
        if (!process.isAlive()) {
            // Its state is gone; a fresh process will be started for the next statement.
            synchronized (lock) {
                if (current == process) {
                    current = null;
                }
            }
            process.close();
        }
        return outcome;
    }

    /**
     * Runs {@code code} once as a rehearsal of a first cell, in a scratch copy of the user's namespace (nothing of it
     * stays), its output dropped: a pooled engine pays here, while it waits for a session, for the first use of
     * pyspark's DataFrame calls and the statement path on both sides. The failure, if any, is returned, never thrown.
     */
    public Outcome rehearse(String code) {
        try {
            return liveProcess().rehearse(code);
        } catch (EngineStartException e) {
            return new Outcome.Failure("InterpreterStartFailed", e.getMessage(), List.of());
        }
    }

    @Override
    public void interrupt(long statementId) {
        interruptedStatement.set(statementId);
        PythonProcess process;
        synchronized (lock) {
            process = current;
        }
        if (process != null) {
            process.interrupt(statementId);
        }
    }

    @Override
    public Completion complete(String code, int cursor) {
        PythonProcess process;
        synchronized (lock) {
            process = current;
        }
        return process != null && process.isAlive() ? process.complete(code, cursor) : Completion.none(cursor);
    }

    @Override
    public Documentation inspect(String code, int cursor, int detailLevel) {
        PythonProcess process;
        synchronized (lock) {
            process = current;
        }
        return process != null && process.isAlive() ? process.inspect(code, cursor, detailLevel)
                : Documentation.notFound();
    }

    @Override
    public void close() {
        PythonProcess process;
        PythonDriverScript toDelete;
        synchronized (lock) {
            closed = true;
            process = current;
            current = null;
            toDelete = script;
        }
        if (process != null) {
            process.close();
        }
        if (toDelete != null) {
            toDelete.close();
        }
    }

    private PythonProcess liveProcess() throws EngineStartException {
        synchronized (lock) {
            if (current != null && current.isAlive()) {
                return current;
            }
        }
        return replaceProcess();
    }

    private PythonProcess replaceProcess() throws EngineStartException {
        PythonProcess old;
        PythonProcess fresh;
        int number;
        synchronized (lock) {
            if (closed) {
                throw new EngineStartException("the Python interpreter is closed");
            }
            old = current;
            current = null;
            number = ++generation;
            fresh = new PythonProcess(settings, script,
                    new PythonBridge(spark), number, random);
        }
        if (old != null) {
            old.close();
        }
        if (number > 1) {
            log.info("starting a fresh Python interpreter ({})", number);
        }
        fresh.start(); // outside the lock: it takes seconds, and interrupt() must not wait for it
        synchronized (lock) {
            if (closed) {
                fresh.close();
                throw new EngineStartException("the Python interpreter was closed while starting");
            }
            current = fresh;
        }
        return fresh;
    }
}
