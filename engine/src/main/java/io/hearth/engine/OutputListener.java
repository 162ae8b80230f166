package io.hearth.engine;

/** Receives what a running statement prints, as soon as the interpreter sees it. */
@FunctionalInterface
public interface OutputListener {

    String STDOUT = "stdout";
    String STDERR = "stderr";

    /** @param stream {@link #STDOUT} or {@link #STDERR} */
    void write(String stream, String text);
}
