package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.CellExecutor;
import io.hearth.kernel.CellFailure;
import io.hearth.kernel.CellSink;
import java.util.Map;
import java.util.TreeMap;

/** The statement kinds a session runs, each with the runner that submits code of that kind. */
public final class Languages {

    /** Livy's statement kinds for Python, Scala, SQL and Java. */
    public static final String PYSPARK = "pyspark";
    public static final String SCALA = "spark";
    public static final String SQL = "sql";
    public static final String JAVA = "java";

    private final Map<String, CellExecutor> runners;

    /** Languages run by {@code runners}, keyed by statement kind. */
    public Languages(Map<String, CellExecutor> runners) {
        this.runners = new TreeMap<>(runners);
    }

    /** Runs {@code code} as a statement of {@code kind} in the kernel's session. */
    public JsonObject run(String kind, String code, CellSink sink) throws CellFailure {
        CellExecutor runner = runners.get(kind);
        if (runner == null) {
            throw MagicErrors.failure("no runner for statement kind '" + kind + "'; known kinds: " + runners.keySet());
        }
        return runner.run(code, sink);
    }
}
