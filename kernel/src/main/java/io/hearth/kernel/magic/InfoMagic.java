package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.display.Html;
import io.hearth.kernel.display.TextTable;
import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.livy.RemoteSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/** {@code %%info}: the gateway's sessions the caller may see, the kernel's own marked, as an HTML table. */
public final class InfoMagic implements Magic {

    private static final List<String> HEADER = List.of("id", "kind", "state", "app id", "Spark UI", "driver log", "this kernel");

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String usage() {
        return "%%info";
    }

    @Override
    public String summary() {
        return "Shows the gateway and its sessions (id, kind, state, Spark application id, Spark UI and driver log "
                + "links), marking this kernel's own.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 0);
        List<RemoteSession> sessions;
        try {
            sessions = context.gateway().client().listSessions();
        } catch (GatewayException e) {
            throw MagicErrors.gateway(e);
        }
        OptionalInt own = context.sessions().current();
        List<List<String>> html = new ArrayList<>();
        List<List<String>> text = new ArrayList<>();
        for (RemoteSession s : sessions) {
            String mine = own.isPresent() && own.getAsInt() == s.id() ? "*" : "";
            html.add(List.of(String.valueOf(s.id()), Html.escape(s.kind()), Html.escape(s.state()),
                    Html.escape(s.appId()), Html.link(s.sparkUiUrl(), "Spark UI"), Html.link(s.driverLogUrl(), "log"), mine));
            text.add(List.of(String.valueOf(s.id()), str(s.kind()), str(s.state()), str(s.appId()), str(s.sparkUiUrl()),
                    str(s.driverLogUrl()), mine));
        }
        JsonObject settings = context.sessions().settings();
        String heading = "Hearth gateway " + context.gateway().client().baseUrl() + ": "
                + (own.isPresent() ? "this kernel's session is " + own.getAsInt()
                : "this kernel has no session yet (the next cell starts one)") + "."
                + (settings.size() > 0
                ? " %%configure settings for new sessions: " + ConfRedaction.redact(settings) : "");
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/html", "<p>" + Html.escape(heading) + "</p>\n"
                + (sessions.isEmpty() ? "<p>No sessions.</p>" : Html.table(HEADER, html)));
        bundle.addProperty("text/plain", heading + "\n" + (sessions.isEmpty() ? "No sessions.\n" : TextTable.of(HEADER, text)));
        return bundle;
    }

    private static String str(String value) {
        return Objects.requireNonNullElse(value, "");
    }
}
