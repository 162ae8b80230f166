package io.hearth.kernel.magic;

/** A magic written wrongly: the message says what to fix. */
public final class MagicSyntaxException extends Exception {

    /** A syntax error explained by {@code message}. */
    public MagicSyntaxException(String message) {
        // No stack trace: this becomes a message in the notebook.
        super(message, null, false, false);
    }
}
