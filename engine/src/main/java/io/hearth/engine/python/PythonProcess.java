package io.hearth.engine.python;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.start.EngineStartException;
import io.hearth.protocol.EngineEnvironment;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Python driver process and the py4j server it is attached through. Python pulls statements from the
 * {@link PythonBridge}; this class waits for each outcome while watching the process, so that a crash or an ignored
 * cancel ends the statement instead of hanging it.
 */
final class PythonProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PythonProcess.class);

    private static final long POLL_MILLIS = 50;
    /** Statement ids count from 0: a rehearsal's id is never one of them (nor its job tag). */
    private static final long REHEARSAL_ID = -1;
    /** A KeyboardInterrupt can be deferred or caught: signal again until the statement stops. */
    private static final long RESIGNAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long EXIT_WAIT_MILLIS = 3_000;
    private static final int STDERR_TAIL_LINES = 30;
    /** Tab must feel instant; an introspection stuck on something answers nothing rather than late. */
    private static final Duration INTROSPECTION_TIMEOUT = Duration.ofSeconds(2);

    private final PythonSettings settings;
    private final PythonDriverScript script;
    private final PythonBridge bridge;
    private final int generation;
    private final SecureRandom random;

    private Py4jServer server;
    private Process process;
    private OutputStream lifeline;
    private ProcessLogPump stdoutPump;
    private ProcessLogPump stderrPump;
    private boolean closed;

    /** @param generation counts the interpreters of this session (a crashed one is replaced), for thread names and logs */
    PythonProcess(PythonSettings settings, PythonDriverScript script, PythonBridge bridge, int generation,
                  SecureRandom random) {
        this.settings = settings;
        this.script = script;
        this.bridge = bridge;
        this.generation = generation;
        this.random = random;
    }

    /** Starts py4j and python3 and waits until Python has wrapped the SparkContext and asks for work. */
    synchronized void start() throws EngineStartException {
        String token = newToken();
        try {
            // Loopback only, with a random token: the JVM's objects are reachable by this child alone.
            server = new Py4jServer(bridge, token);
        } catch (RuntimeException e) {
            throw new EngineStartException("could not start the py4j server for Python: " + e, e);
        }
        int port = server.port();

        ProcessBuilder builder = new ProcessBuilder(settings.executable(), "-u", script.path().toString());
        Map<String, String> env = builder.environment();
        env.putAll(settings.environment());
        EngineEnvironment.withoutSecret(env);
        env.put("PYSPARK_GATEWAY_PORT", Integer.toString(port));
        env.put("PYSPARK_GATEWAY_SECRET", token);
        env.put("PYSPARK_PIN_THREAD", "true");
        env.put("PYSPARK_PYTHON", settings.executable());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONIOENCODING", "utf-8");
        try {
            process = builder.start();
        } catch (IOException e) {
            server.close();
            throw new EngineStartException("could not run the Python interpreter " + settings.executable() + ": "
                    + e.getMessage(), e);
        }
        // Python watches this pipe and exits when it closes, so it dies with the JVM however the JVM ends.
        lifeline = process.getOutputStream();
        stdoutPump = new ProcessLogPump(process.getInputStream(), "python[" + generation + "] ", System.err, 0,
                "hearth-python-" + generation + "-stdout");
        stderrPump = new ProcessLogPump(process.getErrorStream(), "python[" + generation + "] ", System.err,
                STDERR_TAIL_LINES, "hearth-python-" + generation + "-stderr");
        stdoutPump.start();
        stderrPump.start();
        awaitReady();
        log.info("Python interpreter {} (pid {}, Python {}) attached to the SparkContext", generation, process.pid(),
                bridge.readiness().getNow("?"));
    }

    private void awaitReady() throws EngineStartException {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (true) {
            try {
                bridge.readiness().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // keep watching the process below
            } catch (ExecutionException e) {
                throw failStart("failed: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failStart("was interrupted while starting");
            }
            if (!process.isAlive()) {
                throw failStart("exited with code " + process.exitValue() + " while starting");
            }
            if (!bridge.sparkStartOver()) {
                // Python waits for Spark, which has limits of its own: the attach time counts from Spark's start.
                deadline = System.nanoTime() + settings.startTimeout().toNanos();
            } else if (System.nanoTime() > deadline) {
                throw failStart("did not attach to Spark within " + settings.startTimeout().toSeconds() + " s");
            }
        }
    }

    private EngineStartException failStart(String what) {
        close();
        StringBuilder message = new StringBuilder("The Python interpreter at " + settings.executable() + " " + what);
        List<String> tail = stderrPump.tail();
        if (!tail.isEmpty()) {
            message.append("; its last output:\n").append(String.join("\n", tail));
        }
        return new EngineStartException(message.toString());
    }

    /**
     * Runs one statement in this process; returns when Python reports, dies, or the calling thread is interrupted.
     * {@code cancelRequested} is polled as well as {@link #interrupt} being called: a cancel can arrive before the
     * statement reached Python, when there is nothing to signal yet.
     */
    Outcome execute(EngineStatement statement, int executionCount, OutputListener output,
                    BooleanSupplier cancelRequested) {
        return run(statement.id(), task(statement.id(), executionCount, statement.code(), output.limit()), output,
                cancelRequested);
    }

    /** A rehearsal ({@link PythonInterpreter#rehearse}): a task Python runs in a scratch namespace, output dropped. */
    Outcome rehearse(String code) {
        JsonObject task = task(REHEARSAL_ID, 0, code, Integer.MAX_VALUE);
        task.addProperty("rehearsal", true);
        return run(REHEARSAL_ID, task, (stream, text) -> { }, () -> false);
    }

    private static JsonObject task(long id, int executionCount, String code, long maxOutput) {
        JsonObject task = new JsonObject();
        task.addProperty("id", id);
        task.addProperty("count", executionCount);
        task.addProperty("code", code);
        task.addProperty("max_output", maxOutput);
        return task;
    }

    private Outcome run(long id, JsonObject task, OutputListener output, BooleanSupplier cancelRequested) {
        PythonBridge.Pending pending = bridge.begin(id, task.toString(), output);
        try {
            return awaitOutcome(pending, cancelRequested);
        } finally {
            bridge.end(pending);
        }
    }

    /** Completion by the process's introspection thread, which answers even while a statement runs. */
    Completion complete(String code, int cursor) {
        return bridge.introspect(question("complete", code, cursor), INTROSPECTION_TIMEOUT)
                .map(json -> {
                    JsonObject reply = JsonParser.parseString(json).getAsJsonObject();
                    List<String> matches = new ArrayList<>();
                    reply.getAsJsonArray("matches").forEach(m -> matches.add(m.getAsString()));
                    return new Completion(matches, reply.get("cursor_start").getAsInt(), reply.get("cursor_end").getAsInt());
                })
                .orElseGet(() -> Completion.none(cursor));
    }

    /** Documentation of the name at the cursor, from the same thread as completion. */
    Documentation inspect(String code, int cursor, int detailLevel) {
        JsonObject question = question("inspect", code, cursor);
        question.addProperty("detail_level", detailLevel);
        return bridge.introspect(question, INTROSPECTION_TIMEOUT)
                .map(json -> {
                    JsonObject reply = JsonParser.parseString(json).getAsJsonObject();
                    return reply.get("found").getAsBoolean()
                            ? Documentation.found(reply.getAsJsonObject("data")) : Documentation.notFound();
                })
                .orElseGet(Documentation::notFound);
    }

    private static JsonObject question(String op, String code, int cursor) {
        JsonObject question = new JsonObject();
        question.addProperty("op", op);
        question.addProperty("code", code);
        question.addProperty("cursor", cursor);
        return question;
    }

    private Outcome awaitOutcome(PythonBridge.Pending pending, BooleanSupplier cancelRequested) {
        long lastSignal = 0;
        boolean killed = false;
        while (true) {
            try {
                return OutcomeJson.parse(pending.outcome().get(POLL_MILLIS, TimeUnit.MILLISECONDS), pending.output());
            } catch (TimeoutException e) {
                // still running: look after the process and any cancel below
            } catch (ExecutionException e) {
                return new Outcome.Failure("HearthInternalError", String.valueOf(e.getCause()), List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failure("EngineShutdown", "the engine stopped while the statement was running",
                        List.of());
            }
            if (!process.isAlive()) {
                if (pending.outcome().isDone()) {
                    continue; // it reported just before exiting: take the report
                }
                return died(killed);
            }
            if (cancelRequested.getAsBoolean()) {
                pending.interruptedAt().compareAndSet(0, System.nanoTime());
            }
            long interruptedAt = pending.interruptedAt().get();
            if (interruptedAt != 0) {
                long now = System.nanoTime();
                if (now - interruptedAt > settings.cancelGrace().toNanos()) {
                    log.warn("statement {} ignored interrupts for {} s; killing Python interpreter {}",
                            pending.statementId(), settings.cancelGrace().toSeconds(), generation);
                    process.destroyForcibly();
                    waitForExit(EXIT_WAIT_MILLIS);
                    killed = true;
                } else if (now - lastSignal > RESIGNAL_NANOS) {
                    // Again: the code may have caught the KeyboardInterrupt, or been between two JVM calls, and
                    // Python leaves a JVM call that ignored the interrupt at a later signal. The jobs again too, a
                    // backstop to StatementJobs' listener, whose events Spark may delay or drop under load.
                    bridge.javaSparkContext().sc().cancelJobsWithTag(StatementJobs.tagFor(pending.statementId()));
                    interruptPython(pending.statementId());
                    lastSignal = now;
                }
            }
        }
    }

    private Outcome died(boolean killed) {
        waitForExit(EXIT_WAIT_MILLIS);
        stderrPump.close(); // let the pump read what the dying process wrote
        int code = process.exitValue();
        String why = killed
                ? "did not stop within " + settings.cancelGrace().toSeconds() + " s of the cancel, so the engine killed it"
                : "died (exit code " + code + ") while running this statement";
        log.warn("Python interpreter {} {}", generation, why);
        List<String> traceback = new ArrayList<>();
        List<String> tail = stderrPump.tail();
        if (!tail.isEmpty()) {
            traceback.add("The interpreter's last output:\n");
            tail.forEach(line -> traceback.add(line + "\n"));
        }
        return new Outcome.Failure("InterpreterDied", "The Python interpreter " + why
                + "; its state (variables, imports) was lost. The next statement runs in a fresh interpreter.",
                traceback);
    }

    /** Asks the running statement to stop with a KeyboardInterrupt, if it is {@code statementId}. */
    void interrupt(long statementId) {
        PythonBridge.Pending pending = bridge.current();
        if (pending == null || pending.statementId() != statementId) {
            return;
        }
        pending.interruptedAt().compareAndSet(0, System.nanoTime());
        // The first signal goes now, from the caller's thread; the waiting thread repeats it while needed.
        interruptPython(statementId);
    }

    /**
     * SIGINT, then an interrupt of the JVM thread serving the statement if it is inside a call from Python: Python
     * cannot take the signal until that call returns (the signal first, so that Python knows why it returns).
     */
    private void interruptPython(long statementId) {
        ProcessSignals.interrupt(process.pid());
        if (bridge.interruptCall(statementId)) {
            log.debug("statement {}: interrupted the JVM call Python was waiting for", statementId);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Ends the process (Python exits when its stdin closes), then the py4j server; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        bridge.close();
        if (process != null) {
            try {
                lifeline.close();
            } catch (IOException ignored) {
                // the process may be gone already
            }
            if (!waitForExit(EXIT_WAIT_MILLIS)) {
                process.destroy();
                if (!waitForExit(EXIT_WAIT_MILLIS)) {
                    process.destroyForcibly();
                    waitForExit(EXIT_WAIT_MILLIS);
                }
            }
            stdoutPump.close();
            stderrPump.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private boolean waitForExit(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
