package io.hearth.engine.scala;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Interpreter;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.interpreter.SessionStoppingCall;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.start.SessionClassLoader;
import io.hearth.engine.start.SparkStarter;
import io.hearth.engine.start.UserJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.util.Either;
import scala.util.Left;

/**
 * Runs {@code spark}/{@code scala} statements in a Scala 2.13 REPL inside the engine's JVM, on the runner's thread,
 * with the session's {@code spark} and {@code sc}. The compiler starts with the first Scala statement, so sessions
 * that only run Python never pay for it. A statement runs as one or more REPL lines, one after another (see
 * {@link ScalaCell} for where a cell is cut and why). Its result is the REPL's own echo ({@code val x: Int = 1},
 * {@code res0: Int = 2}) of its lines: names and types are what a Scala user reads there.
 */
public final class ScalaInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(ScalaInterpreter.class);
    private static final long NO_STATEMENT = Long.MIN_VALUE;
    private static final long COMPLETION_WAIT_MILLIS = 250;

    /** How long a cancelled statement may take to answer its interrupt before its thread is stopped by force. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(3);

    private final SparkSession spark;
    private final SessionClassLoader driverClassLoader;
    private final ScheduledExecutorService timer;
    private final ThreadStopper stopper;
    private final ConsoleCapture console;
    /** The statement a cancel was asked for; remembered because it may come while the compiler is still starting. */
    private final AtomicLong interruptedStatement = new AtomicLong(NO_STATEMENT);
    // Held while a statement compiles and runs, and by completion: the compiler does one thing at a time.
    private final ReentrantLock compiler = new ReentrantLock();
    private volatile ScalaRepl repl;
    // Set with the REPL, on the runner's thread.
    private ReplLineStopCheck stopCheck;

    /**
     * @param driverClassLoader the loader Spark's driver was started with ({@link SparkStarter}): the REPL's classes
     *                          are added to it, so that Spark reads back task results holding them
     * @param stopGrace         how long a cancelled statement may ignore its interrupt before its thread is stopped
     */
    public ScalaInterpreter(SparkSession spark, SessionClassLoader driverClassLoader, Duration stopGrace) {
        this.spark = spark;
        this.driverClassLoader = driverClassLoader;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hearth-scala-timer");
            thread.setDaemon(true); // it only sends output and escalates cancels: never a reason to keep the JVM up
            return thread;
        });
        this.stopper = new ThreadStopper(timer, stopGrace);
        this.console = new ConsoleCapture(timer);
    }

    @Override
    public Outcome run(EngineStatement statement, int executionCount, OutputListener output) {
        ScalaRepl current;
        try {
            current = repl();
        } catch (RuntimeException | LinkageError e) {
            log.error("the Scala REPL did not start", e);
            return new Outcome.Failure("InterpreterStartFailed", "the Scala interpreter did not start: " + e,
                    List.of());
        }
        compiler.lock();
        try {
            return run(current, statement, executionCount, output);
        } finally {
            compiler.unlock();
        }
    }

    /**
     * The compiler's completion; nothing before the first Scala statement started the compiler, nor while a Scala
     * statement runs (Tab waits a moment for it, then gives up).
     */
    @Override
    public Completion complete(String code, int cursor) {
        ScalaRepl current = repl;
        if (current == null) {
            return Completion.none(cursor);
        }
        try {
            if (!compiler.tryLock(COMPLETION_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return Completion.none(cursor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Completion.none(cursor);
        }
        try {
            return current.complete(code, cursor);
        } catch (RuntimeException | LinkageError e) {
            log.warn("Scala completion failed: {}", e.toString());
            return Completion.none(cursor);
        } finally {
            compiler.unlock();
        }
    }

    private Outcome run(ScalaRepl current, EngineStatement statement, int executionCount, OutputListener output) {
        long id = statement.id();
        SparkContext sc = spark.sparkContext();
        String tag = StatementJobs.tagFor(id);
        // Local properties are per thread: the tag must be set here, on the thread that runs the user's code.
        sc.addJobTag(tag);
        sc.setInterruptOnCancel(true); // cancelling the statement's jobs also interrupts their running tasks
        try {
            List<String> lines = current.lines(statement.code());
            StringBuilder echo = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                Either<Outcome.Failure, String> ran = runLine(current, id, lines.get(i), i == 0, executionCount,
                        output);
                if (ran.isLeft()) {
                    return ran.swap().toOption().get();
                }
                echo.append(ran.toOption().get());
            }
            return ScalaRepl.success(echo.toString());
        } finally {
            sc.removeJobTag(tag);
        }
    }

    /** Compiles and runs one of the statement's REPL lines; {@code first} says whether earlier lines have run. */
    private Either<Outcome.Failure, String> runLine(ScalaRepl current, long id, String line, boolean first,
                                                    int executionCount, OutputListener output) {
        // A cancel that came before this line runs is honoured here: while an earlier line ran and ended anyway,
        // before this line compiled, or while it compiled (not interruptible, see ScalaRepl.compile).
        Outcome.Failure cancelled = new Outcome.Failure("Cancelled", "statement " + id + " was cancelled "
                + (first ? "before it ran" : "before the rest of its cell ran"), List.of());
        if (interruptedStatement.get() == id) {
            return Left.apply(cancelled);
        }
        Either<Outcome.Failure, ScalaRepl.Compiled> compiled = current.compile(line, executionCount, output);
        if (compiled.isLeft()) {
            return Left.apply(compiled.swap().toOption().get());
        }
        if (interruptedStatement.get() == id) {
            return Left.apply(cancelled);
        }
        ScalaRepl.Compiled runnable = compiled.toOption().get();
        Optional<String> stop = stopCheck.check(runnable.linePackage());
        if (stop.isPresent()) {
            current.discard();
            return Left.apply(new Outcome.Failure(SessionStoppingCall.ERROR,
                    "this statement calls " + stop.get() + ": " + SessionStoppingCall.MESSAGE, List.of()));
        }
        return console.capture(output, () -> stopper.run(id, () -> current.run(runnable),
                () -> Left.apply(new Outcome.Failure("Stopped",
                        "the statement was stopped by force after it ignored an interrupt", List.of()))));
    }

    @Override
    public void interrupt(long statementId) {
        interruptedStatement.set(statementId);
        stopper.interrupt(statementId);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (repl != null) {
            repl.close();
            repl = null;
        }
    }

    private ScalaRepl repl() {
        if (repl == null) {
            String classDir = spark.sparkContext().getConf().get(SparkStarter.REPL_CLASS_DIR, null);
            if (classDir == null) {
                throw new IllegalStateException(SparkStarter.REPL_CLASS_DIR + " was not set when Spark started, "
                        + "so executors could not load the classes Scala statements define");
            }
            long start = System.nanoTime();
            stopCheck = new ReplLineStopCheck(Path.of(classDir));
            repl = ScalaRepl.start(Path.of(classDir), UserJars.append(JvmClassPath.asString(), driverClassLoader), spark);
            driverClassLoader.addInterpreterLoader(repl.classLoader());
            log.info("Scala REPL started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return repl;
    }
}
