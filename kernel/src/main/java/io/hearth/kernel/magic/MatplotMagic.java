package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellSink;
import java.util.Set;

/**
 * {@code %matplot [NAME]}: accepted for sparkmagic notebooks and does nothing, because Hearth already shows every
 * matplotlib figure still open at the end of a statement.
 */
public final class MatplotMagic implements Magic {

    @Override
    public String name() {
        return "matplot";
    }

    @Override
    public String usage() {
        return "%matplot [plt]";
    }

    @Override
    public String summary() {
        return "Accepted for sparkmagic notebooks; does nothing: figures open at the end of a statement are shown anyway.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 1);
        return new JsonObject();
    }
}
