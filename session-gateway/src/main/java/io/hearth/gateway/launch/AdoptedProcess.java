package io.hearth.gateway.launch;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An engine started by an earlier gateway, found again by its pid after a restart, seen as a {@link Process} so that
 * an {@link EngineProcess} stops it (and its descendants) the same way as an engine this gateway started. It has no
 * pipes (its output goes to its log file), and its exit code is unknown: the operating system gives it only to the
 * parent, which is gone; {@link #exitValue()} answers {@value #UNKNOWN_EXIT_CODE}.
 */
final class AdoptedProcess extends Process {

    static final int UNKNOWN_EXIT_CODE = -1;

    private final ProcessHandle handle;

    AdoptedProcess(ProcessHandle handle) {
        this.handle = handle;
    }

    @Override
    public OutputStream getOutputStream() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            handle.onExit().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return UNKNOWN_EXIT_CODE;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            handle.onExit().get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int exitValue() {
        if (handle.isAlive()) {
            throw new IllegalThreadStateException("process " + handle.pid() + " has not exited");
        }
        return UNKNOWN_EXIT_CODE;
    }

    @Override
    public void destroy() {
        handle.destroy();
    }

    @Override
    public Process destroyForcibly() {
        handle.destroyForcibly();
        return this;
    }

    @Override
    public boolean isAlive() {
        return handle.isAlive();
    }

    @Override
    public long pid() {
        return handle.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return handle;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return handle.onExit().thenApply(h -> this);
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return handle.descendants();
    }
}
