package io.hearth.kernel;

/** Where a running cell's printed text goes (Jupyter {@code stream} messages, or nowhere for silent cells). */
@FunctionalInterface
public interface CellSink {

    /** Discards everything: for {@code silent} execute requests. */
    CellSink DISCARD = (name, text) -> { };

    /** Emits {@code text} on the stream {@code name} ({@code "stdout"} or {@code "stderr"}). */
    void stream(String name, String text);

    /** Emits {@code text} on stderr: for the kernel's own progress and notices. */
    default void notice(String text) {
        stream("stderr", text);
    }
}
