package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.display.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code %%help}: every magic with its usage and what it does, as an HTML table. */
public final class HelpMagic implements Magic {

    private static final List<String> HEADER = List.of("magic", "usage", "what it does");

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String usage() {
        return "%%help";
    }

    @Override
    public String summary() {
        return "Shows this table.";
    }

    @Override
    public boolean takesBody() {
        return false;
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException {
        MagicArgs.parse(call.args(), Set.of(), Set.of(), 0);
        List<List<String>> html = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Magic magic : context.magics().all()) {
            String written = magic.usage().split(" ", 2)[0];
            html.add(List.of("<code>" + Html.escape(written) + "</code>", "<code>" + Html.escape(magic.usage()) + "</code>",
                    Html.escape(magic.summary())));
            text.append(magic.usage()).append("\n    ").append(magic.summary()).append('\n');
        }
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/html", Html.table(HEADER, html));
        bundle.addProperty("text/plain", text.toString());
        return bundle;
    }
}
