package io.hearth.engine.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Copies one output stream of a child process into the session log (our stderr), line by line, and keeps its last
 * lines so that a crash or a failed start can be explained with what the child said.
 */
final class ProcessLogPump implements AutoCloseable {

    private static final long JOIN_MILLIS = 2_000;

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
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
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
