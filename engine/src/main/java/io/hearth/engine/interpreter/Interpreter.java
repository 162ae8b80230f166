package io.hearth.engine.interpreter;

/**
 * Runs statements of one language against the session's SparkSession, one at a time, keeping its state between them.
 * {@link #run} is called from the runner's thread only; {@link #interrupt} from any thread.
 */
public interface Interpreter extends AutoCloseable {

    /**
     * Runs the statement to its end and says how it went. Must not throw for anything the user's code did:
     * errors, even a crash of the interpreter, come back as a {@link Outcome.Failure}.
     */
    Outcome run(EngineStatement statement, int executionCount, OutputListener output);

    /** Asks the statement now running, if it is {@code statementId}, to stop soon; {@link #run} then returns. */
    void interrupt(long statementId);

    /**
     * Candidates for the code at the cursor (a code-point index). Called from a thread of its own, possibly while a
     * statement runs, so it must not wait for the runner. Languages without completion offer nothing.
     */
    default Completion complete(String code, int cursor) {
        return Completion.none(cursor);
    }

    /** Documentation for the name at the cursor, as a MIME bundle; same threading as {@link #complete}. */
    default Documentation inspect(String code, int cursor, int detailLevel) {
        return Documentation.notFound();
    }

    @Override
    void close();
}
