package io.hearth.kernel.cell;

import com.google.gson.JsonObject;
import io.hearth.kernel.execution.CellRunner;

/** Runs one cell's code; the execute handler's one way in, so magics can sit in front of {@link CellRunner}. */
@FunctionalInterface
public interface CellExecutor {

    /**
     * Runs {@code code}, sending what it prints and shows to {@code sink}.
     *
     * @return the MIME bundle of the cell's result, empty when there is nothing to show
     * @throws CellFailure when the cell ends in an error the notebook shows
     */
    JsonObject run(String code, CellSink sink) throws CellFailure;
}
