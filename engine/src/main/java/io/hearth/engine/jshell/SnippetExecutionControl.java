package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.SessionStoppingCall;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs snippets in the engine JVM, each on a fresh named thread, so they share the engine's SparkSession.
 *
 * <p>Why not JDK 17's {@code LocalExecutionControl} itself: on every call it replaces the JVM-wide default uncaught
 * exception handler, and its {@code stop()} is {@code ThreadGroup.stop()}, which would also kill any Spark pool thread
 * the snippet happened to create. Here stop interrupts the one snippet thread (enough for sleeps, waits and Spark's
 * job waits) and only a snippet that ignores interrupts for the grace period gets {@code Thread.stop()}.
 *
 * <p>Before a snippet runs, {@link SessionStopCheck} refuses code that would stop the shared session or the JVM, and
 * {@link TopLevelVariableCheck} code that would ship a function reading a top-level variable to executors (what
 * {@link TopLevelCapture} could not make carry the value).
 */
final class SnippetExecutionControl extends DirectExecutionControl {

    private static final Logger log = LoggerFactory.getLogger(SnippetExecutionControl.class);
    private static final long JOIN_SLICE_MILLIS = 50;

    /** The {@code ename} of a snippet refused for shipping a function that uses a top-level variable. */
    static final String TOP_LEVEL_VARIABLE_ERROR = "TopLevelVariableInSparkFunction";
    /** The {@code ename} of a snippet refused for stopping the shared Spark context or the engine JVM (as pyspark's). */
    static final String SESSION_STOP_ERROR = SessionStoppingCall.ERROR;

    private final SnippetClassLoader loader;
    private final Duration stopGrace;
    private final AtomicInteger threadNumbers = new AtomicInteger();

    private final Object lock = new Object();
    // Guarded by lock: stop() comes from the message loop while invoke() waits on the runner thread.
    private Thread snippetThread;
    private boolean stopRequested;
    private long stopRequestedNanos;
    private boolean stopped;

    SnippetExecutionControl(SnippetLoaderDelegate delegate, SnippetClassLoader loader, Duration stopGrace) {
        super(delegate);
        this.loader = loader;
        this.stopGrace = stopGrace;
    }

    /** Starts a statement: forgets a stop asked for the previous one. */
    void beginStatement() {
        synchronized (lock) {
            stopRequested = false;
            stopped = false;
        }
    }

    /** Whether a snippet of this statement was stopped (or refused to start) by {@link #stop}. */
    boolean stoppedThisStatement() {
        synchronized (lock) {
            return stopped;
        }
    }

    /** Stops the running snippet and refuses to start more until {@link #beginStatement}. */
    @Override
    public void stop() {
        synchronized (lock) {
            if (!stopRequested) {
                stopRequested = true;
                stopRequestedNanos = System.nanoTime();
            }
            if (snippetThread != null) {
                snippetThread.interrupt();
            }
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        refuseUnsafeCode(doitMethod);
        Object[] value = new Object[1];
        String[] valueText = new String[1];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                value[0] = doitMethod.invoke(null);
                // toString() is user code too: run it here, where a stop can reach it.
                valueText[0] = valueString(value[0]);
            } catch (InvocationTargetException e) {
                failure[0] = e;
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "hearth-java-snippet-" + threadNumbers.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(loader);
        synchronized (lock) {
            if (stopRequested) {
                stopped = true;
                throw new StoppedException();
            }
            snippetThread = thread;
        }
        try {
            thread.start();
            awaitEnd(thread);
        } finally {
            synchronized (lock) {
                snippetThread = null;
            }
        }
        Throwable thrown = failure[0];
        if (thrown instanceof InvocationTargetException ite && ite.getCause() instanceof ThreadDeath
                || thrown instanceof ThreadDeath) {
            synchronized (lock) {
                stopped = true;
            }
            throw new StoppedException();
        }
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw new InvocationTargetException(e);
        }
        return valueText[0];
    }

    /** The checks on the snippet's bytecode; a refused snippet fails as if it had thrown, before it runs. */
    private void refuseUnsafeCode(Method doitMethod) throws UserException {
        String snippetClass = doitMethod.getDeclaringClass().getName();
        SnippetBytecode code = new SnippetBytecode(loader::bytesOf, loader);
        Optional<String> stop = new SessionStopCheck(code).check(snippetClass, doitMethod.getName());
        if (stop.isPresent()) {
            throw new UserException("this snippet calls " + stop.get() + ": " + SessionStoppingCall.MESSAGE,
                    SESSION_STOP_ERROR, new StackTraceElement[0]);
        }
        Optional<TopLevelVariableCheck.Use> use = new TopLevelVariableCheck(code)
                .check(snippetClass, doitMethod.getName());
        if (use.isPresent()) {
            throw new UserException(topLevelVariableMessage(use.get()), TOP_LEVEL_VARIABLE_ERROR,
                    new StackTraceElement[0]);
        }
    }

    private void awaitEnd(Thread thread) throws InterruptedException {
        boolean forced = false;
        while (thread.isAlive()) {
            try {
                thread.join(JOIN_SLICE_MILLIS);
            } catch (InterruptedException e) {
                // The runner itself is being shut down: take the snippet with it.
                stop();
                thread.join(stopGrace.toMillis());
                throw e;
            }
            if (!forced && thread.isAlive() && stopOverdue()) {
                forced = true;
                forceStop(thread);
            }
        }
    }

    private boolean stopOverdue() {
        synchronized (lock) {
            return stopRequested
                    && System.nanoTime() - stopRequestedNanos > TimeUnit.MILLISECONDS.toNanos(stopGrace.toMillis());
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void forceStop(Thread thread) {
        log.warn("snippet thread {} ignored the interrupt for {} ms; stopping it", thread.getName(),
                stopGrace.toMillis());
        try {
            // Last resort for a loop that never looks at its interrupt flag; Java 17 still honours it.
            thread.stop();
        } catch (UnsupportedOperationException e) {
            log.warn("this JVM cannot stop threads; snippet thread {} keeps running", thread.getName());
        }
    }

    static String topLevelVariableMessage(TopLevelVariableCheck.Use use) {
        String v = use.variable();
        return "this snippet would send " + use.function() + " that uses the top-level variable '" + v
                + "' to Spark executors, where top-level variables are never set (they read as 0, null or false),"
                + " so the result would be silently wrong. A lambda that reads a top-level variable itself gets its"
                + " value (captured when the lambda is created), but not a method reference, a cell method or a cell"
                + " class that reads one, nor a lambda that assigns one, final or not. Copy the value into a local"
                + " variable inside a block or method and use the copy, e.g. { var " + v + "Local = " + v
                + "; ... x -> ... " + v + "Local ... } (a top-level copy would be a top-level variable again)."
                + " The snippet was not run.";
    }

}
