package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Interpreter;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.start.SessionClassLoader;
import io.hearth.engine.start.UserJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code java} statements with JShell inside the engine JVM, sharing its SparkSession as {@code spark} and
 * {@code jsc}. JShell starts with the first Java statement (a few seconds of compiler warm-up no pyspark session
 * should pay). Classes compiled from snippets are also written to the REPL class directory for executors.
 */
public final class JavaInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(JavaInterpreter.class);
    private static final long NO_STATEMENT = Long.MIN_VALUE;
    private static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";
    /** How long a stopped snippet may ignore its interrupt before its thread is stopped by force. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(3);

    private final SparkSession spark;
    private final SessionClassLoader sessionClassLoader;
    private final ReplClassDirectory replClasses;
    private final Duration stopGrace;
    private final String classPath;

    private final Object lock = new Object();
    // Guarded by lock: interrupt() comes from the message loop while run() works on the runner thread.
    private JavaShell shell;
    private long runningStatement = NO_STATEMENT;
    /** Remembered even when it arrives before run() has marked its statement running. */
    private long interruptedStatement = NO_STATEMENT;
    private boolean closed;

    /**
     * @param sessionClassLoader the loader Spark was started with, which gets to see the snippets' classes
     * @param replClassDir       {@code spark.repl.class.outputDir} of the running SparkContext
     * @param classPath          what snippets compile against: the engine's class path
     */
    public JavaInterpreter(SparkSession spark, SessionClassLoader sessionClassLoader, Path replClassDir,
                           Duration stopGrace, String classPath) {
        this.spark = spark;
        this.sessionClassLoader = sessionClassLoader;
        this.replClasses = new ReplClassDirectory(replClassDir);
        this.stopGrace = stopGrace;
        this.classPath = classPath;
    }

    /** An interpreter for the engine's SparkSession, whose configuration names the REPL class directory. */
    public static JavaInterpreter forSession(SparkSession spark, SessionClassLoader sessionClassLoader) {
        String dir = spark.sparkContext().getConf().get("spark.repl.class.outputDir", null);
        if (dir == null) {
            throw new IllegalStateException("spark.repl.class.outputDir is not set: executors could not load the"
                    + " classes of Java statements");
        }
        return new JavaInterpreter(spark, sessionClassLoader, Path.of(dir), DEFAULT_STOP_GRACE,
                UserJars.append(System.getProperty("java.class.path"), sessionClassLoader));
    }

    @Override
    public Outcome run(EngineStatement statement, int executionCount, OutputListener output) {
        JavaShell current;
        try {
            current = shell();
        } catch (RuntimeException e) {
            log.error("JShell did not start", e);
            return new Outcome.Failure("InterpreterStartFailed", "the Java interpreter did not start: " + e,
                    List.of());
        }
        synchronized (lock) {
            runningStatement = statement.id();
        }
        SparkContext sc = spark.sparkContext();
        String tag = StatementJobs.tagFor(statement.id());
        // Snippet threads are started from this thread and inherit its Spark local properties, the tag included.
        // Interrupt-on-cancel: a cancelled job's tasks run JVM code (the user's lambdas) that only an interrupt stops.
        sc.addJobTag(tag);
        sc.setLocalProperty(INTERRUPT_ON_CANCEL, "true");
        try (StandardStreams ignored = StandardStreams.redirectTo(output)) {
            return current.evalCell(statement.code(), () -> interrupted(statement.id()));
        } finally {
            sc.removeJobTag(tag);
            sc.setLocalProperty(INTERRUPT_ON_CANCEL, null);
            synchronized (lock) {
                runningStatement = NO_STATEMENT;
            }
        }
    }

    /** JShell's suggestions; nothing before the first Java statement started JShell, or while one runs. */
    @Override
    public Completion complete(String code, int cursor) {
        JavaShell current = startedShell();
        return current == null ? Completion.none(cursor) : current.complete(code, cursor);
    }

    @Override
    public Documentation inspect(String code, int cursor, int detailLevel) {
        JavaShell current = startedShell();
        return current == null ? Documentation.notFound() : current.documentation(code, cursor, detailLevel > 0);
    }

    private JavaShell startedShell() {
        synchronized (lock) {
            return closed ? null : shell;
        }
    }

    @Override
    public void interrupt(long statementId) {
        JavaShell current;
        synchronized (lock) {
            interruptedStatement = statementId;
            if (runningStatement != statementId || shell == null) {
                return;
            }
            current = shell;
        }
        // The runner has already cancelled the statement's Spark jobs; this ends the wait for them and any sleep.
        current.stop();
    }

    @Override
    public void close() {
        JavaShell toClose;
        synchronized (lock) {
            closed = true;
            toClose = shell;
            shell = null;
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private boolean interrupted(long statementId) {
        synchronized (lock) {
            return interruptedStatement == statementId;
        }
    }

    private JavaShell shell() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Java interpreter is closed");
            }
            if (shell != null) {
                return shell;
            }
        }
        long start = System.nanoTime();
        JavaShell created = new JavaShell(spark, sessionClassLoader, replClasses, stopGrace, classPath);
        log.info("JShell started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        synchronized (lock) {
            shell = created;
            return created;
        }
    }
}
