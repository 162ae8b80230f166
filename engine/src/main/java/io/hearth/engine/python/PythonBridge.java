package io.hearth.engine.python;

import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.table.DataFrameView;
import io.hearth.engine.table.ResultTable;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The py4j entry point of one Python driver process: it hands Python the session's Spark objects and the statements
 * to run, and receives the output and outcomes. The public methods are called from Python, each on the JVM thread
 * py4j pins to the calling Python thread; the package-private ones are the engine's side.
 */
public final class PythonBridge {

    private static final Logger log = LoggerFactory.getLogger(PythonBridge.class);

    /** How often a waiting {@link #takeStatement()} looks whether the bridge was closed. */
    private static final long TAKE_POLL_MILLIS = 500;

    /** The statement being run by Python: where its output goes and where its outcome (JSON) lands. */
    record Pending(long statementId, OutputListener output, CompletableFuture<String> outcome, AtomicLong interruptedAt) {
    }

    /** A statement waiting for Python to take it: its id, and the JSON object Python gets. */
    private record Task(long statementId, String json) {
    }

    private final CompletableFuture<SparkSession> spark;
    private final BlockingQueue<Task> tasks = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final AtomicReference<Pending> current = new AtomicReference<>();
    private final BlockingQueue<String> introspectionRequests = new LinkedBlockingQueue<>();
    private final Map<Long, CompletableFuture<String>> introspectionReplies = new ConcurrentHashMap<>();
    private final AtomicLong introspectionIds = new AtomicLong();
    private final PythonCalls calls = new PythonCalls();
    private final StatementThreadProperties threadProperties;
    private volatile boolean closed;

    /**
     * @param spark the session's SparkSession, possibly still starting: Python attaches while Spark starts and its
     *              first call for the Spark objects waits for them
     */
    public PythonBridge(CompletableFuture<SparkSession> spark) {
        this.spark = spark;
        this.threadProperties = new StatementThreadProperties(() -> sparkSession().sparkContext());
    }

    // ---- called from Python ----

    /** Waits until Spark has started; throws what stopped it if it failed, which ends the Python process's start. */
    public JavaSparkContext javaSparkContext() {
        return JavaSparkContext.fromSparkContext(sparkSession().sparkContext());
    }

    /** Waits until Spark has started, as {@link #javaSparkContext()}. */
    public SparkSession sparkSession() {
        return spark.join();
    }

    /** Python has wrapped the context and is about to ask for statements. */
    public void ready(String pythonVersion) {
        ready.complete(pythonVersion);
    }

    /**
     * Blocks until the next statement (a JSON object) is there; null tells Python to exit. Python's statement thread
     * calls it, so the calling JVM thread is the one that serves that statement's calls.
     */
    public String takeStatement() throws InterruptedException {
        Task task = takeUntilClosed(tasks);
        if (task == null) {
            return null;
        }
        calls.serve(task.statementId());
        threadProperties.noteStatementStart();
        return task.json();
    }

    /**
     * Python's statement thread left a JVM call behind (it ignored the interrupt) and goes on over a new connection:
     * the calling thread serves the statement from now on, with the left-behind thread's Spark local properties and the
     * statement's job tag.
     */
    public void resumeStatement(long statementId) {
        Pending pending = current.get();
        if (pending == null || pending.statementId() != statementId) {
            return;
        }
        threadProperties.takeOver();
        javaSparkContext().addJobTag(StatementJobs.tagFor(statementId));
        javaSparkContext().setInterruptOnCancel(true);
        calls.serve(statementId).ifPresent(leftBehind -> log.warn("statement {} left its JVM call running on thread {}"
                + " ({}): the call ignored the interrupt", statementId, leftBehind.getName(), topFrame(leftBehind)));
    }

    public void output(long statementId, String stream, String text) {
        Pending pending = current.get();
        if (pending != null && pending.statementId() == statementId) {
            pending.output().write(OutputListener.STDERR.equals(stream) ? OutputListener.STDERR : OutputListener.STDOUT,
                    text);
        } else {
            // Printed by a thread the user left running after its statement ended: keep it in the session log.
            log.info("output of statement {} after it ended ({}): {}", statementId, stream, text.stripTrailing());
        }
    }

    /**
     * Blocks until a completion or inspection request (JSON: id, op, code, cursor, ...) is there; null tells Python's
     * introspection thread to stop.
     */
    public String takeIntrospection() throws InterruptedException {
        return takeUntilClosed(introspectionRequests);
    }

    /** Python's answer to an introspection request, as JSON. */
    public void introspected(long requestId, String replyJson) {
        CompletableFuture<String> reply = introspectionReplies.remove(requestId);
        if (reply != null) {
            reply.complete(replyJson);
        }
    }

    /** A rich value the statement shows now ({@code display()}, a figure): a MIME bundle as a JSON object. */
    public void display(long statementId, String bundleJson) {
        Pending pending = current.get();
        if (pending == null || pending.statementId() != statementId) {
            log.info("display from statement {} after it ended was dropped", statementId);
            return;
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(bundleJson);
        } catch (RuntimeException e) {
            log.warn("statement {} sent an unreadable display bundle: {}", statementId, e.toString());
            return;
        }
        if (parsed.isJsonObject()) {
            pending.output().display(parsed.getAsJsonObject());
        }
    }

    /**
     * A Spark DataFrame as a notebook shows it: its first {@code hearth.python.dataframeRows} rows (default 20) as an
     * HTML and a text table, saying so when there are more. Runs on the calling Python thread's JVM thread, which
     * carries the statement's job tag.
     */
    public String dataFrameBundle(Dataset<?> df) {
        int rows = DataFrameView.rows(sparkSession());
        return DataFrameView.bundle(ResultTable.collect(df, rows)).toString();
    }

    /** The statement's outcome as JSON: {@code {"status": "ok", "data": {...}}} or an error object. */
    public void finish(long statementId, String outcomeJson) {
        calls.release(statementId);
        Pending pending = current.get();
        if (pending != null && pending.statementId() == statementId) {
            pending.outcome().complete(outcomeJson);
        } else {
            log.warn("Python reported an outcome for statement {}, which is not running", statementId);
        }
    }

    private static String topFrame(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        return stack.length == 0 ? "it has ended since" : "at " + stack[0];
    }

    private <T> T takeUntilClosed(BlockingQueue<T> queue) throws InterruptedException {
        while (!closed) {
            T item = queue.poll(TAKE_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (item != null) {
                return item;
            }
        }
        return null;
    }

    // ---- the engine's side ----

    CompletableFuture<String> readiness() {
        return ready;
    }

    /** Whether Spark's start is over (well or not); Python's attach time counts from then. */
    boolean sparkStartOver() {
        return spark.isDone();
    }

    /** Makes the statement current and hands it to Python. */
    Pending begin(long statementId, String taskJson, OutputListener output) {
        Pending pending = new Pending(statementId, output, new CompletableFuture<>(), new AtomicLong());
        current.set(pending);
        tasks.add(new Task(statementId, taskJson));
        return pending;
    }

    /**
     * Interrupts the JVM thread serving the statement if it is inside a call from Python, so that a sleep, a wait or an
     * interruptible channel there ends with an exception; whether it did.
     */
    boolean interruptCall(long statementId) {
        return calls.interrupt(statementId);
    }

    PythonCalls calls() {
        return calls;
    }

    /** Asks Python's introspection thread; its reply JSON, or empty if Python did not answer in time. */
    Optional<String> introspect(JsonObject question, Duration timeout) {
        long id = introspectionIds.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        introspectionReplies.put(id, reply);
        JsonObject request = question.deepCopy();
        request.addProperty("id", id);
        introspectionRequests.add(request.toString());
        try {
            return Optional.of(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            introspectionReplies.remove(id);
            introspectionRequests.remove(request.toString());
        }
    }

    Pending current() {
        return current.get();
    }

    void end(Pending pending) {
        current.compareAndSet(pending, null);
    }

    /** Makes a waiting or later {@link #takeStatement()} return null, so Python's loop ends. */
    void close() {
        closed = true;
    }
}
