package io.hearth.kernel.cell;

import com.google.gson.JsonObject;

/** Where a running cell's printed text and shown values go (Jupyter {@code stream}/{@code display_data}, or nowhere). */
@FunctionalInterface
public interface CellSink {

    /** Discards everything: for {@code silent} execute requests. */
    CellSink DISCARD = (name, text) -> { };

    /** Emits {@code text} on the stream {@code name} ({@code "stdout"} or {@code "stderr"}). */
    void stream(String name, String text);

    /** Emits a value the cell showed while running ({@code display()}, a figure); dropped by text-only sinks. */
    default void display(JsonObject data) {
    }

    /** Shows {@code data} as a display that {@link #updateDisplay} can replace later (live progress). */
    default void display(JsonObject data, String displayId) {
    }

    /** Replaces the display {@code displayId} shown earlier with {@code data}. */
    default void updateDisplay(JsonObject data, String displayId) {
    }

    /** Emits {@code text} on stderr: for the kernel's own progress and notices. */
    default void notice(String text) {
        stream("stderr", text);
    }
}
