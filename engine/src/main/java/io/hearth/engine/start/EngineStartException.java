package io.hearth.engine.start;

/** The engine cannot start; the message is written for the notebook user and becomes {@code EngineFailed.reason}. */
public final class EngineStartException extends Exception {

    public EngineStartException(String message) {
        super(message);
    }

    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
