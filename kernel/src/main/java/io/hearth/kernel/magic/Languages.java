package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellExecutor;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.livy.StatementKind;
import java.util.EnumMap;
import java.util.Map;

/** The statement kinds a session runs, each with the runner that submits code of that kind. */
public final class Languages {

    private final Map<StatementKind, CellExecutor> runners;

    /** Languages run by {@code runners}, keyed by statement kind. */
    public Languages(Map<StatementKind, CellExecutor> runners) {
        this.runners = new EnumMap<>(runners);
    }

    /** Runs {@code code} as a statement of {@code kind} in the kernel's session. */
    public JsonObject run(StatementKind kind, String code, CellSink sink) throws CellFailure {
        CellExecutor runner = runners.get(kind);
        if (runner == null) {
            throw MagicErrors.failure("no runner for statement kind '" + kind + "'; known kinds: " + runners.keySet());
        }
        return runner.run(code, sink);
    }
}
