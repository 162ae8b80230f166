package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.livy.StatementKind;
import java.util.Optional;
import java.util.Set;

/** {@code %%pyspark}, {@code %%scala}, {@code %%java}: the cell body runs as that language in the same session. */
public final class LanguageMagic implements Magic {

    private final String name;
    private final StatementKind kind;
    private final String language;

    /** The magic {@code %%name}, running its body as statements of {@code kind} ({@code language} for help). */
    public LanguageMagic(String name, StatementKind kind, String language) {
        this.name = name;
        this.kind = kind;
        this.language = language;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return "%%" + name;
    }

    @Override
    public String summary() {
        return "Runs the cell as " + language + " in the kernel's Spark session (same SparkSession, temp views shared).";
    }

    @Override
    public boolean takesBody() {
        return true;
    }

    @Override
    public Optional<StatementKind> bodyKind() {
        return Optional.of(kind);
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 0);
        return context.code().run(call.body(), kind, sink);
    }
}
