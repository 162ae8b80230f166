package io.hearth.kernel.jupyter;

/** A frame sequence that is not a valid, correctly signed Jupyter message: it is dropped. */
public final class BadMessageException extends Exception {

    /** A message rejected for {@code reason}. */
    public BadMessageException(String reason) {
        super(reason, null, false, false);
    }
}
