package io.hearth.gateway.session;

import java.util.Locale;

/** Livy's statement states. A failed statement is {@code AVAILABLE} with an error output, as in Livy. */
public enum StatementState {
    WAITING, RUNNING, AVAILABLE, CANCELLING, CANCELLED;

    public boolean isFinished() {
        return this == AVAILABLE || this == CANCELLED;
    }

    /** The name Livy clients see. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
