package io.hearth.kernel.livy;

/** One entry of {@code hearth.streams}: text printed to {@code stdout} or {@code stderr}. */
public record StreamChunk(String name, String text) {

    /** The text, never null. */
    public String textOrEmpty() {
        return text == null ? "" : text;
    }
}
