package io.hearth.engine;

/** One piece of user code to run, as the gateway sent it in {@code Execute}; a null kind means pyspark. */
public record Statement(long id, String kind, String code) {

    public Statement {
        code = code == null ? "" : code;
    }
}
