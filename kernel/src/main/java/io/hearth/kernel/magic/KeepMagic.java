package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import java.util.Set;

/** {@code %keep}: the notebook's session keeps running after the kernel shuts down or restarts. */
public final class KeepMagic implements Magic {

    @Override
    public String name() {
        return "keep";
    }

    @Override
    public String usage() {
        return "%keep";
    }

    @Override
    public String summary() {
        return "Keeps this notebook's session running when the kernel shuts down or restarts, "
                + "so that %attach ID picks it up again (%%delete -s ID -f ends it).";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 0);
        int id = context.sessions().keep();
        sink.stream("stdout", "Spark session " + id + " will keep running after this kernel shuts down or restarts; "
                + "%attach " + id + " reattaches a notebook to it, and %%delete -s " + id + " -f ends it.\n");
        return new JsonObject();
    }
}
