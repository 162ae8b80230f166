package io.hearth.engine.scala;

import io.hearth.engine.interpreter.OutputListener;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import scala.Console$;

/**
 * Sends what a JVM statement prints to the statement's {@link OutputListener} while it runs: {@code System.out} and
 * {@code System.err} (process-wide, so any thread's) and Scala's {@code Console.out}/{@code Console.err}, an inheritable
 * per-thread variable that does not follow {@code System.setOut}: set for this thread and the threads it starts, not
 * for older ones such as Spark's local task threads, whose {@code println} goes to the engine log as on an executor.
 * Logging is unaffected: log4j and the Python log pumps hold the original streams.
 */
final class ConsoleCapture {

    /** How often printed text is sent on while the statement runs. */
    static final long FLUSH_MILLIS = 20;

    private final ScheduledExecutorService timer;

    /** @param timer a thread the caller owns, used to send printed text every {@value #FLUSH_MILLIS} ms */
    ConsoleCapture(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code body} on this thread with its printing captured; everything printed is sent before this returns. */
    <T> T capture(OutputListener listener, Supplier<T> body) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        StatementOutputBuffer buffer = new StatementOutputBuffer(listener, originalOut, originalErr);
        PrintStream out = printStream(buffer, StatementOutputBuffer.Stream.STDOUT);
        PrintStream err = printStream(buffer, StatementOutputBuffer.Stream.STDERR);
        ScheduledFuture<?> flusher = timer.scheduleWithFixedDelay(buffer::flush, FLUSH_MILLIS, FLUSH_MILLIS,
                TimeUnit.MILLISECONDS);
        System.setOut(out);
        System.setErr(err);
        try {
            return Console$.MODULE$.withOut(out, () -> Console$.MODULE$.withErr(err, body::get));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            flusher.cancel(false);
            out.flush();
            err.flush();
            buffer.end();
        }
    }

    private static PrintStream printStream(StatementOutputBuffer buffer, StatementOutputBuffer.Stream stream) {
        OutputStream bytes = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buffer.write(stream, b, off, len);
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
