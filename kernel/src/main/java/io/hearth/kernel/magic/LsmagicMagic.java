package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellSink;
import java.util.Set;

/** {@code %lsmagic}: the names of all magics. */
public final class LsmagicMagic implements Magic {

    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String usage() {
        return "%lsmagic";
    }

    @Override
    public String summary() {
        return "Lists the magics.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 0);
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/plain", "Available magics: " + context.magics().written()
                + "\n%%help describes each one.");
        return bundle;
    }
}
