package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.gateway.GatewayException;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code %%delete -s ID -f}: deletes another session of the gateway. As in sparkmagic, {@code -f} confirms that its
 * state is lost, and the kernel's own session is never deleted this way (shutdown, restart or {@code %%cleanup} do).
 */
public final class DeleteMagic implements Magic {

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String usage() {
        return "%%delete -s ID -f";
    }

    @Override
    public String summary() {
        return "Deletes session ID of the gateway (-f confirms that its variables and cached data are lost); "
                + "not this kernel's own session.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of("-f"), Set.of("-s"), 0);
        int id = args.intValue("-s", 0).orElseThrow(() -> new MagicSyntaxException("say which session with -s ID (%%info lists them)"));
        if (!args.flag("-f")) {
            throw new MagicSyntaxException("add -f to confirm: everything session " + id + " holds (variables, cached data) is lost");
        }
        OptionalInt own = context.sessions().current();
        if (own.isPresent() && own.getAsInt() == id) {
            throw MagicErrors.failure("session " + id + " is this kernel's own and is not deleted by %%delete",
                    "Restart or shut down the kernel to delete it, or run %%cleanup -f to delete all your sessions.");
        }
        try {
            context.gateway().client().removeSession(id);
        } catch (GatewayException e) {
            if (e.isNotFound()) {
                throw MagicErrors.failure("there is no session " + id + " on the gateway", "%%info lists the sessions.");
            }
            throw MagicErrors.gateway(e);
        }
        sink.stream("stdout", "Deleted session " + id + ".\n");
        return new JsonObject();
    }
}
