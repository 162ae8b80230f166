package io.hearth.gateway.batch;

import java.util.Locale;

/** Livy's batch states, the ones a Hearth batch passes through. */
public enum BatchState {
    STARTING, RUNNING, SUCCESS, DEAD, KILLED;

    /** The name Livy clients see. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinished() {
        return this == SUCCESS || this == DEAD || this == KILLED;
    }
}
