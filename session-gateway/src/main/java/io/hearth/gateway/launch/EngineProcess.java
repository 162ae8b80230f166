package io.hearth.gateway.launch;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running engine (or batch) process: when it exits, and stopping its whole process tree. Its output goes straight
 * to its log file (the launcher redirects it), never through a pipe to the gateway, so it outlives a gateway that dies.
 * Its pid and start time are what a restarted gateway finds it again by ({@link #adopt}).
 */
public final class EngineProcess {

    private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);

    /** After SIGTERM, how long a JVM gets to run its shutdown hooks before it is killed. */
    private static final Duration TERM_GRACE = Duration.ofSeconds(3);

    private final Process process;
    private final long startedAt;
    /** The driver a cluster-mode spark-submit waits for; null for an engine that is the process itself. */
    private final ClusterDriver driver;

    /** Takes a started process whose output the launcher has sent to its log file. */
    EngineProcess(Process process) {
        this(process, null);
    }

    /** A cluster-mode spark-submit: the engine is {@code driver}, which this process waits for. */
    EngineProcess(Process process, ClusterDriver driver) {
        this.process = process;
        this.driver = driver;
        // With the pid, its start time: after a restart, a pid alone might name an unrelated process that reused it.
        this.startedAt = process.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * The engine an earlier gateway started, if it still runs: the same pid and the same start time, so that a recycled
     * pid is never taken for it. Its exit code will be unknown ({@link #describeExit}).
     */
    public static Optional<EngineProcess> adopt(long pid, long startedAt) {
        if (pid <= 0 || startedAt <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(h -> h.info().startInstant().map(i -> i.toEpochMilli() == startedAt).orElse(false))
                .map(h -> new EngineProcess(new AdoptedProcess(h)));
    }

    /** Why the engine went away, as a session's death reason says it. */
    public static String describeExit(int exitCode) {
        return exitCode == AdoptedProcess.UNKNOWN_EXIT_CODE
                ? "the engine process exited (started before the gateway restarted, so its exit code is unknown)"
                : "the engine process exited with code " + exitCode;
    }

    public long pid() {
        return process.pid();
    }

    /** The process's arguments as the system reports them (empty when it does not). */
    List<String> arguments() {
        return process.toHandle().info().arguments().map(List::of).orElse(List.of());
    }

    /** This process, known as the spark-submit of {@code cluster}'s driver. */
    EngineProcess asDriverOf(ClusterDriver cluster) {
        return new EngineProcess(process, cluster);
    }

    /** The process's start time in epoch milliseconds; 0 when the system does not say. */
    public long startedAt() {
        return startedAt;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit code as soon as the process ends, however it ends. */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenApply(Process::exitValue);
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How the process exited, if it does within {@code timeout}: a closed channel usually means it died. For a cluster
     * driver, how its cluster says it ended comes first (killed by whom, or why it failed).
     */
    public Optional<String> exitWithin(Duration timeout) throws InterruptedException {
        // Its exit carries the cluster's reason, which spark-submit learns at its next poll of the cluster.
        Duration wait = driver != null && driver.exitWait().compareTo(timeout) > 0
                ? driver.exitWait() : timeout;
        if (!awaitExit(wait)) {
            return Optional.empty();
        }
        return Optional.of(describeEnd(process.exitValue()));
    }

    /** Why this process ended with {@code exitCode}: for a cluster driver, how the cluster says it ended first. */
    public String describeEnd(int exitCode) {
        String exit = describeExit(exitCode);
        return driver == null ? exit
                : driver.ending().map(end -> end + " (spark-submit: " + exit + ")").orElse(exit);
    }

    /**
     * Waits up to {@code grace} for the engine to exit by itself (the caller has asked it to), then terminates it,
     * then kills it; its descendants (the Python interpreter, Python workers) go the same way, so nothing is orphaned.
     * A cluster driver whose spark-submit had to be stopped is killed in the cluster: stopping spark-submit
     * leaves it running. Blocks until everything is gone or has been killed.
     */
    public void stop(Duration grace) throws InterruptedException {
        // Taken while the engine lives: once it exits its children are re-parented and no longer findable from here.
        List<ProcessHandle> family = process.descendants().toList();
        // A driver that stops by itself is a spark-submit that exits at its next poll of the cluster: no kill needed.
        Duration wait = driver != null && driver.exitWait().compareTo(grace) > 0 && !grace.isZero()
                ? driver.exitWait() : grace;
        if (!awaitExit(wait)) {
            LOG.info("Engine pid {} did not exit within {} ms; terminating it", pid(), grace.toMillis());
            process.destroy();
            if (!awaitExit(TERM_GRACE)) {
                LOG.warn("Engine pid {} ignored SIGTERM; killing it", pid());
                process.destroyForcibly();
                awaitExit(TERM_GRACE);
            }
            if (driver != null) {
                driver.kill();
            }
        }
        stopAll(family);
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
}
