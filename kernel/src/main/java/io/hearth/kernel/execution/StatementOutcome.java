package io.hearth.kernel.execution;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.ErrorContent;
import io.hearth.kernel.cell.KernelErrors;
import io.hearth.kernel.livy.RemoteStatement;
import io.hearth.kernel.livy.StatementOutput;

/** What a finished statement means for the cell: the result bundle to show, or the error to raise. */
public final class StatementOutcome {

    private StatementOutcome() {
    }

    /**
     * The MIME bundle of the statement's result (empty when there is nothing to show).
     *
     * @throws CellFailure with the user's own {@code ename}/{@code evalue}/{@code traceback} when the code raised,
     *                     or a {@code KeyboardInterrupt} when the statement was cancelled
     */
    public static JsonObject resultOf(RemoteStatement statement) throws CellFailure {
        if (!statement.isFinished()) {
            throw new IllegalArgumentException("statement " + statement.id() + " is still " + statement.state());
        }
        StatementOutput output = statement.output();
        if (statement.isCancelled()) {
            // When the engine interrupted the Python code it may report where (a KeyboardInterrupt traceback); that
            // beats a bare notice. Anything else (e.g. the Py4JJavaError of a cancelled Spark job, with its Java
            // stack) is a side effect of the cancel, not news to the user who pressed interrupt.
            if (output != null && output.isError() && "KeyboardInterrupt".equals(output.ename())) {
                throw new CellFailure(new ErrorContent(output.ename(), output.evalue(), output.traceback()));
            }
            throw KernelErrors.cancelled();
        }
        if (output == null) {
            if ("error".equals(statement.state())) {
                throw KernelErrors.unexpected("Statement " + statement.id() + " failed without saying why.");
            }
            return new JsonObject();
        }
        if (output.isError()) {
            // Passed through exactly as the gateway gives them: this is the user's Python error.
            throw new CellFailure(new ErrorContent(output.ename(), output.evalue(), output.traceback()));
        }
        if (!output.isOk()) {
            throw KernelErrors.unexpected("Statement " + statement.id() + " finished with unknown output status '"
                    + output.status() + "'.");
        }
        // A Hearth gateway gives the result alone in hearth.data (its printed text already went out as streams);
        // a plain Livy server has only output.data, which is the printed text and the result together.
        JsonObject data = statement.hearth() != null ? statement.hearth().data() : output.data();
        return data == null ? new JsonObject() : data;
    }
}
