package io.hearth.kernel.magic;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.execution.ReleasedSession;
import java.util.Optional;
import java.util.Set;

/**
 * {@code %%configure [-f]}: the cell is a JSON object of Livy session settings ({@code driverMemory}, {@code conf},
 * ...) for the kernel's next session; {@code -f} lets a running session go (deleted if this kernel started it, left
 * running if it was attached or kept) so the next cell starts one with them.
 */
public final class ConfigureMagic implements Magic {

    @Override
    public String name() {
        return "configure";
    }

    @Override
    public String usage() {
        return "%%configure [-f] {JSON}";
    }

    @Override
    public String summary() {
        return "Sets the Livy session settings (e.g. {\"driverMemory\": \"2g\", \"conf\": {...}}) of the session the "
                + "next cell starts; -f first lets the running session go (deleted if this kernel started it).";
    }

    @Override
    public boolean takesBody() {
        return true;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of("-f"), Set.of(), 0);
        JsonObject settings = parse(call.body());
        Optional<ReleasedSession> released = context.sessions().configure(settings, args.flag("-f"));
        // Shown back without secret values: cell outputs are saved in notebooks and shared.
        String json = new GsonBuilder().setPrettyPrinting().create()
                .toJson(ConfRedaction.redact(settings));
        // A session started with the kernel and not used yet is replaced at once (SessionKeeper#configure).
        String next = context.sessions().current().isPresent()
                ? "Spark session " + context.sessions().current().getAsInt() + " is starting with these settings:\n"
                : "The next cell starts a Spark session with these settings:\n";
        sink.stream("stdout", released.map(ConfigureMagic::describe).orElse("") + next + json + "\n");
        return new JsonObject();
    }

    /** What became of the session let go, as it is: only the kernel's own sessions are deleted. */
    private static String describe(ReleasedSession session) {
        int id = session.id();
        if (session.deleted()) {
            return "Deleted Spark session " + id + ". ";
        }
        if (session.leftRunning()) {
            return "Let go of Spark session " + id + ", which keeps running (it was attached or kept, not this "
                    + "kernel's to delete; %%delete -s " + id + " -f ends it). ";
        }
        return "Could not delete Spark session " + id + " (see the kernel's log); it may still be running. ";
    }

    private static JsonObject parse(String body) throws MagicSyntaxException {
        if (body.isBlank()) {
            throw new MagicSyntaxException("write the settings as a JSON object on the lines below %%configure, "
                    + "e.g. {\"driverMemory\": \"2g\"}");
        }
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(body);
        } catch (JsonParseException e) {
            throw new MagicSyntaxException("the settings are not valid JSON (" + rootMessage(e) + ")");
        }
        if (!parsed.isJsonObject()) {
            throw new MagicSyntaxException("the settings must be a JSON object {...}, not " + body.strip());
        }
        JsonObject settings = parsed.getAsJsonObject();
        if (settings.has("kind")) {
            throw new MagicSyntaxException("\"kind\" is the kernel's own; run another language per cell with "
                    + "%%pyspark, %%scala, %%sql or %%java instead");
        }
        return settings;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
