package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.gateway.GatewayException;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/** {@code %logs [-n LINES]}: the end of the kernel's session log (the engine's output and the gateway's notes). */
public final class LogsMagic implements Magic {

    private static final int DEFAULT_LINES = 100;

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String usage() {
        return "%logs [-n LINES]";
    }

    @Override
    public String summary() {
        return "Prints the last LINES (default " + DEFAULT_LINES + ") lines of this kernel's session log.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of(), Set.of("-n"), 0);
        int lines = args.intValue("-n", 1).orElse(DEFAULT_LINES);
        OptionalInt own = context.sessions().current();
        if (own.isEmpty()) {
            sink.stream("stdout", "This kernel has no session yet, so no log: the next cell starts one.\n");
            return new JsonObject();
        }
        List<String> log;
        try {
            log = context.gateway().client().sessionLog(own.getAsInt(), lines).lines();
        } catch (GatewayException e) {
            throw MagicErrors.gateway(e);
        }
        sink.stream("stdout", log.isEmpty() ? "The log of session " + own.getAsInt() + " is empty.\n"
                : String.join("\n", log) + "\n");
        return new JsonObject();
    }
}
