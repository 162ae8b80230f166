package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellExecutor;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.display.SqlResults;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.livy.StatementKind;

/**
 * The one place a cell passes before it goes to the gateway: plain code goes to the kernel's language unchanged;
 * a cell with magics runs its parts in order.
 */
public final class MagicDispatcher implements CellExecutor {

    private final Magics magics;
    private final Languages languages;
    private final CellLanguage cellLanguage;
    private final MagicContext context;

    /** A dispatcher whose magics are {@code magics}, running code in the language {@code cellLanguage} says. */
    public MagicDispatcher(ActiveGateway gateway, SessionKeeper sessions, Magics magics, Languages languages,
                           CellLanguage cellLanguage) {
        this.magics = magics;
        this.languages = languages;
        this.cellLanguage = cellLanguage;
        this.context = new MagicContext(gateway, sessions, magics, languages, this::runAs);
    }

    @Override
    public JsonObject run(String code, CellSink sink) throws CellFailure {
        return runAs(code, cellLanguage.kernelKind(), sink);
    }

    /** Runs {@code code} with {@code kind} as the language of its code parts. */
    private JsonObject runAs(String code, StatementKind kind, CellSink sink) throws CellFailure {
        CellScript script;
        try {
            script = CellScript.parse(code);
        } catch (MagicSyntaxException e) {
            throw MagicErrors.syntax(e, magics);
        }
        if (!script.hasMagic()) {
            return runCode(kind, code, sink);
        }
        JsonObject result = new JsonObject();
        for (CellScript.Part part : script.parts()) {
            // Only the last part's value is the cell's result; earlier values are shown as they come.
            if (result.size() > 0) {
                sink.display(result);
            }
            result = part instanceof CellScript.Code c
                    ? runCode(kind, c.code(), sink)
                    : invoke(((CellScript.Call) part).call(), sink);
        }
        return result;
    }

    /** Code of the cell's language; a SQL statement's result is shown as {@code %%sql} shows it, as tables. */
    private JsonObject runCode(StatementKind kind, String code, CellSink sink) throws CellFailure {
        JsonObject result = languages.run(kind, code, sink);
        return kind == StatementKind.SQL ? SqlResults.shown(result) : result;
    }

    private JsonObject invoke(MagicCall call, CellSink sink) throws CellFailure {
        Magic magic = magics.find(call.name()).orElseThrow(() -> MagicErrors.unknown(call, magics));
        if (magic.takesBody() && !call.cell()) {
            throw MagicErrors.usage(magic, "write it as a cell magic, with %% on the first line of a cell and its "
                    + "input on the lines below");
        }
        if (!magic.takesBody() && !call.body().isBlank()) {
            throw MagicErrors.usage(magic, "takes no cell body: move the lines below it into a cell of their own");
        }
        try {
            return magic.run(call, context, sink);
        } catch (MagicSyntaxException e) {
            throw MagicErrors.usage(magic, e.getMessage());
        }
    }
}
