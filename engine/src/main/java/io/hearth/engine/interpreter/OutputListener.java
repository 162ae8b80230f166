package io.hearth.engine.interpreter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Receives what a running statement prints or shows, as soon as the interpreter sees it. */
@FunctionalInterface
public interface OutputListener {

    String STDOUT = "stdout";
    String STDERR = "stderr";

    /** @param stream {@link #STDOUT} or {@link #STDERR} */
    void write(String stream, String text);

    /**
     * A rich value shown during the statement (a MIME bundle). A listener that cannot carry rich data still shows
     * its text, rather than losing it.
     */
    default void display(JsonObject data) {
        JsonElement text = data.get("text/plain");
        if (text != null && text.isJsonPrimitive()) {
            write(STDOUT, text.getAsString() + "\n");
        }
    }

    /**
     * The most bytes of output the whole statement may return ({@code hearth.statement.max-output}): an interpreter
     * need not hand over a value larger than this on its own, only say how large it was ({@link #leftOut}).
     */
    default long limit() {
        return Long.MAX_VALUE;
    }

    /** The interpreter kept back a value of {@code bytes} bytes, over {@link #limit()} on its own; the statement fails. */
    default void leftOut(long bytes) {
    }
}
