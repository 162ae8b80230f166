package io.hearth.engine.python;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Copies one output stream of a child process into the session log (our stderr), line by line, and keeps its last
 * lines so that a crash or a failed start can be explained with what the child said. Lines longer than
 * {@link BoundedLineReader#DEFAULT_MAX_BYTES} are copied in pieces, each but the last ending in {@link #CUT_MARK}: a
 * child's line without a newline never costs more memory than that.
 */
final class ProcessLogPump implements AutoCloseable {

    private static final long JOIN_MILLIS = 2_000;
    /** Ends a piece of an overlong line in the log: the line goes on in the next log line. */
    static final String CUT_MARK = " [hearth: line cut, continued below]";

    private final InputStream in;
    private final String prefix;
    private final PrintStream log;
    private final int tailLines;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Thread thread;

    ProcessLogPump(InputStream in, String prefix, PrintStream log, int tailLines, String threadName) {
        this.in = in;
        this.prefix = prefix;
        this.log = log;
        this.tailLines = tailLines;
        this.thread = new Thread(this::pump, threadName);
        this.thread.setDaemon(true); // never keeps the JVM alive; close() is what normally ends it
    }

    void start() {
        thread.start();
    }

    /** The last lines read, oldest first. */
    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }

    private void pump() {
        try (in) {
            BoundedLineReader reader = new BoundedLineReader(in, BoundedLineReader.DEFAULT_MAX_BYTES);
            BoundedLineReader.Line piece;
            while ((piece = reader.next()) != null) {
                String line = piece.cut() ? piece.text() + CUT_MARK : piece.text();
                log.println(prefix + line);
                if (tailLines == 0) {
                    continue;
                }
                synchronized (tail) {
                    if (tail.size() == tailLines) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            // the stream closes under us when the process is destroyed: nothing left to copy
        }
    }

    /** Waits briefly for the rest of the stream; the child has normally exited, so it is at its end. */
    @Override
    public void close() {
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            try {
                in.close();
            } catch (IOException ignored) {
                // best effort: the thread is a daemon and will not outlive the JVM
            }
        }
    }
}
