package io.hearth.kernel.gateway;

/** A gateway call that failed: an HTTP error answer ({@link #status()} > 0) or no usable answer at all (0). */
public class GatewayException extends Exception {

    private final int status;

    /** A failure with the HTTP status the gateway answered, or 0 when there was no answer. */
    public GatewayException(int status, String message) {
        // No stack trace: these end up as messages in a notebook cell, and the stack is never what the user needs.
        super(message, null, false, false);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    /** True when the gateway answered 404: the session or statement does not exist (any more). */
    public boolean isNotFound() {
        return status == 404;
    }
}
