package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.OutputListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends {@code System.out} and {@code System.err} to a statement's listener while it runs. Snippets run in the engine
 * JVM, where the standard streams are the process's (the session log): they are swapped for the statement, from any
 * thread, and put back after. Loggers that captured the streams at start-up keep writing to the log.
 */
final class StandardStreams implements AutoCloseable {

    private final PrintStream originalOut;
    private final PrintStream originalErr;

    private StandardStreams(OutputListener listener) {
        this.originalOut = System.out;
        this.originalErr = System.err;
        System.setOut(new PrintStream(new ListenerOutputStream(OutputListener.STDOUT, listener), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ListenerOutputStream(OutputListener.STDERR, listener), true,
                StandardCharsets.UTF_8));
    }

    /** Redirects both streams to the listener until {@link #close}. */
    static StandardStreams redirectTo(OutputListener listener) {
        return new StandardStreams(listener);
    }

    @Override
    public void close() {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
    }
}
