package io.hearth.gateway;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running engine process and the thread that copies its output into the session log; stops its whole process tree. */
public final class EngineProcess {

    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);

    /** After SIGTERM, how long a JVM gets to run its shutdown hooks before it is killed. */
    private static final Duration TERM_GRACE = Duration.ofSeconds(3);

    /**
     * After the process exits, how long to wait for its last output to reach the log (a descendant still holding the
     * pipe would otherwise delay the exit notice for as long as it lives).
     */
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(1);

    /** A line longer than this is split: an engine printing megabytes without a newline must not exhaust the gateway. */
    static final int MAX_LINE_CHARS = 8192;

    private final Process process;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Thread logPump;

    /** Adopts a started process: its merged stdout and stderr go to {@code log}, line by line, on a thread of that name. */
    EngineProcess(Process process, SessionLog log, String pumpThreadName) {
        this.process = process;
        this.logPump = new Thread(() -> pump(log), pumpThreadName);
        this.logPump.setDaemon(true);
        this.logPump.start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Completes with the exit code as soon as the process ends, however it ends, once its last output is in the log:
     * whoever reacts to the exit quotes the log, and the line saying why it died is usually the last one.
     */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenCompose(p -> drained.copy()
                .completeOnTimeout(null, DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(ignored -> p.exitValue()));
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits up to {@code grace} for the engine to exit by itself (the caller has asked it to), then terminates it,
     * then kills it; its descendants (the Python interpreter, Python workers) go the same way, so nothing is orphaned.
     * Blocks until everything is gone or has been killed.
     */
    public void stop(Duration grace) throws InterruptedException {
        // Taken while the engine lives: once it exits its children are re-parented and no longer findable from here.
        List<ProcessHandle> family = process.descendants().toList();
        if (!awaitExit(grace)) {
            LOG.info("Engine pid {} did not exit within {} ms; terminating it", pid(), grace.toMillis());
            process.destroy();
            if (!awaitExit(TERM_GRACE)) {
                LOG.warn("Engine pid {} ignored SIGTERM; killing it", pid());
                process.destroyForcibly();
                awaitExit(TERM_GRACE);
            }
        }
        stopAll(family);
        logPump.join(DRAIN_WAIT.toMillis());
    }

    private static void stopAll(List<ProcessHandle> handles) throws InterruptedException {
        List<ProcessHandle> alive = handles.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TERM_GRACE.toNanos();
        for (ProcessHandle h : alive) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("Engine descendant pid {} did not exit; killing it", h.pid());
                h.destroyForcibly();
            }
        }
    }

    /** Copies the engine's output into the log until the process (and every descendant sharing the pipe) closes it. */
    private void pump(SessionLog log) {
        try (Reader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
            char[] buf = new char[8192];
            StringBuilder line = new StringBuilder();
            int n;
            while ((n = in.read(buf)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        log.append(stripCr(line));
                        line.setLength(0);
                    } else {
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS) {
                            log.append(line.toString());
                            line.setLength(0);
                        }
                    }
                }
            }
            if (line.length() > 0) {
                log.append(stripCr(line));
            }
        } catch (IOException e) {
            // The stream closes under us when the process is destroyed: nothing more to copy.
        } finally {
            drained.complete(null);
        }
    }

    private static String stripCr(StringBuilder line) {
        int len = line.length();
        return len > 0 && line.charAt(len - 1) == '\r' ? line.substring(0, len - 1) : line.toString();
    }
}
