package io.hearth.engine.interpreter;

/**
 * A statement as the engine runs it: the code of one {@code Execute}, queued by the runner and run by an interpreter.
 * {@code kind} is as the gateway sent it (null: {@code StatementKind.DEFAULT}).
 */
public record EngineStatement(long id, String kind, String code) {

    public EngineStatement {
        code = code == null ? "" : code;
    }
}
