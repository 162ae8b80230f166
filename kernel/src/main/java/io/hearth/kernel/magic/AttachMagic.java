package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import java.util.OptionalInt;
import java.util.Set;

/** {@code %attach ID}: the notebook's later cells run in session ID of the gateway, e.g. after a kernel restart. */
public final class AttachMagic implements Magic {

    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String usage() {
        return "%attach ID";
    }

    @Override
    public String summary() {
        return "Runs the following cells in the gateway's existing session ID (its variables and cached data included); "
                + "%%info lists the sessions.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of(), Set.of(), 1);
        if (args.positional().isEmpty() || !args.positional().get(0).matches("[0-9]{1,9}")) {
            throw new MagicSyntaxException("say which session by its number, e.g. %attach 3 (%%info lists them)");
        }
        int id = Integer.parseInt(args.positional().get(0));
        OptionalInt previous = context.sessions().attach(id);
        sink.stream("stdout", "This kernel now uses Spark session " + id + "."
                + (previous.isPresent() ? " Session " + previous.getAsInt() + " keeps running (%%delete -s "
                + previous.getAsInt() + " -f deletes it)." : "") + "\n");
        return new JsonObject();
    }
}
