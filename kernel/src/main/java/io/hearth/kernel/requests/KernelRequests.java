package io.hearth.kernel.requests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.jupyter.Exchange;
import io.hearth.kernel.jupyter.HistoryLog;
import io.hearth.kernel.jupyter.JupyterMessage;
import io.hearth.kernel.jupyter.MessageFactory;
import io.hearth.kernel.jupyter.RequestHandler;
import io.hearth.kernel.language.CompletenessCheck;
import io.hearth.kernel.language.LanguageProfile;
import io.hearth.kernel.livy.RemoteCompletions;
import io.hearth.kernel.livy.RemoteInspection;
import io.hearth.kernel.magic.CellCompleteness;
import io.hearth.kernel.magic.CellLanguage;
import java.util.Map;
import java.util.Optional;

/** A Hearth Jupyter kernel: the answers to every request type; cells run as statements of a gateway session. */
public final class KernelRequests {

    private static final String IMPLEMENTATION = "hearth";

    private final ActiveGateway gateway;
    private final CellLanguage cellLanguage;
    private final LanguageProfile language;
    private final CellCompleteness completeness;
    private final ExecuteHandler execute;
    private final SessionKeeper sessions;
    private final Interrupts interrupts;
    private final HistoryLog history;

    /**
     * A kernel whose cells are in the languages {@code cellLanguage} says, run by {@code execute}, in the session
     * {@code sessions} keeps on {@code gateway}.
     */
    public KernelRequests(ActiveGateway gateway, CellLanguage cellLanguage, ExecuteHandler execute,
                        SessionKeeper sessions, Interrupts interrupts, HistoryLog history) {
        this.gateway = gateway;
        this.cellLanguage = cellLanguage;
        this.language = LanguageProfile.forKind(cellLanguage.kernelKind());
        this.completeness = new CellCompleteness(cellLanguage);
        this.execute = execute;
        this.sessions = sessions;
        this.interrupts = interrupts;
        this.history = history;
    }

    /** The handler of each request type, on shell and control alike. */
    public Map<String, RequestHandler> handlers() {
        return Map.ofEntries(
                Map.entry("execute_request", execute),
                Map.entry("kernel_info_request", this::kernelInfo),
                Map.entry("complete_request", this::complete),
                Map.entry("inspect_request", this::inspect),
                Map.entry("is_complete_request", this::isComplete),
                Map.entry("history_request", this::history),
                Map.entry("comm_info_request", this::commInfo),
                Map.entry("comm_open", this::commOpen),
                Map.entry("comm_msg", this::ignoreComm),
                Map.entry("comm_close", this::ignoreComm),
                Map.entry("interrupt_request", this::interrupt),
                Map.entry("shutdown_request", this::shutdown));
    }

    /** The {@code kernel_info_reply} content. */
    JsonObject kernelInfoContent() {
        JsonObject content = JupyterMessages.ok();
        content.addProperty("protocol_version", MessageFactory.PROTOCOL_VERSION);
        content.addProperty("implementation", IMPLEMENTATION);
        content.addProperty("implementation_version", implementationVersion());
        content.add("language_info", language.toJson());
        content.addProperty("banner", language.displayName() + " (Hearth) " + implementationVersion() + "\n"
                + "Cells run on a long-lived Spark session of the Hearth gateway at " + gateway.url() + ".");
        content.addProperty("debugger", false);
        content.add("help_links", new JsonArray());
        return content;
    }

    private void kernelInfo(Exchange exchange) {
        exchange.reply("kernel_info_reply", kernelInfoContent());
    }

    /**
     * Completion by the interpreter of the cell's language ({@link CellLanguage}), through the gateway; the cursor
     * counts code points, as Jupyter's does. A cursor on a cell magic's line gets nothing.
     */
    private void complete(Exchange exchange) {
        JupyterMessage request = exchange.request();
        String cell = request.text("code");
        int cursor = request.number("cursor_pos", cell.codePointCount(0, cell.length()));
        Optional<CellLanguage.Code> code = cellLanguage.codeOf(cell).filter(c -> cursor >= c.offset());
        int offset = code.map(CellLanguage.Code::offset).orElse(0);
        RemoteCompletions c = code.isEmpty() ? RemoteCompletions.none(cursor)
                : sessions.complete(code.get().kind(), code.get().text(), cursor - offset);
        JsonObject content = JupyterMessages.ok();
        JsonArray matches = new JsonArray();
        c.candidates().forEach(matches::add);
        content.add("matches", matches);
        content.addProperty("cursor_start", c.cursorStart() + offset);
        content.addProperty("cursor_end", c.cursorEnd() + offset);
        content.add("metadata", new JsonObject());
        exchange.reply("complete_reply", content);
    }

    /** Shift-Tab documentation from the interpreter of the cell's language; nothing found before the first cell. */
    private void inspect(Exchange exchange) {
        JupyterMessage request = exchange.request();
        String cell = request.text("code");
        int cursor = request.number("cursor_pos", cell.codePointCount(0, cell.length()));
        Optional<CellLanguage.Code> code = cellLanguage.codeOf(cell).filter(c -> cursor >= c.offset());
        RemoteInspection inspection = code.isEmpty() ? RemoteInspection.notFound() : sessions.inspect(code.get().kind(),
                code.get().text(), cursor - code.get().offset(), request.number("detail_level", 0));
        boolean found = inspection.found() && inspection.data() != null && inspection.data().size() > 0;
        JsonObject content = JupyterMessages.ok();
        content.addProperty("found", found);
        content.add("data", found ? inspection.data() : new JsonObject());
        content.add("metadata", new JsonObject());
        exchange.reply("inspect_reply", content);
    }

    /** Answered here, without the session, so that consoles stay quick (see {@link CellCompleteness}). */
    private void isComplete(Exchange exchange) {
        CompletenessCheck.Verdict verdict = completeness.check(exchange.request().text("code"));
        JsonObject content = new JsonObject();
        content.addProperty("status", verdict.status());
        if ("incomplete".equals(verdict.status())) {
            content.addProperty("indent", verdict.indent());
        }
        exchange.reply("is_complete_reply", content);
    }

    private void history(Exchange exchange) {
        JupyterMessage request = exchange.request();
        boolean output = request.flag("output", false);
        JsonArray found = switch (request.text("hist_access_type")) {
            case "tail" -> history.tail(request.number("n", 10), output);
            case "range" -> history.range(request.number("session", 0), request.number("start", 0),
                    request.number("stop", 0), output);
            case "search" -> history.search(request.text("pattern"), request.number("n", 0),
                    request.flag("unique", false), output);
            default -> new JsonArray();
        };
        JsonObject content = JupyterMessages.ok();
        content.add("history", found);
        exchange.reply("history_reply", content);
    }

    /** The kernel has no comm targets: widgets are not supported. */
    private void commInfo(Exchange exchange) {
        JsonObject content = JupyterMessages.ok();
        content.add("comms", new JsonObject());
        exchange.reply("comm_info_reply", content);
    }

    /**
     * A frontend opening a comm (JupyterLab does, for widgets) finds no target here: the comm is closed at once, so the
     * frontend knows, as ipykernel does for a target it lacks.
     */
    private void commOpen(Exchange exchange) {
        JsonObject close = new JsonObject();
        close.addProperty("comm_id", exchange.request().text("comm_id"));
        close.add("data", new JsonObject());
        exchange.publish("comm_close", close);
    }

    /** Messages to a comm that was never opened here (see {@link #commOpen}) need no answer. */
    private void ignoreComm(Exchange exchange) {
    }

    /** Runs on the control thread while the shell thread may be running a cell; the cell sees the request. */
    private void interrupt(Exchange exchange) {
        interrupts.request();
        exchange.reply("interrupt_reply", JupyterMessages.ok());
    }

    private void shutdown(Exchange exchange) {
        boolean restart = exchange.request().flag("restart", false);
        // A restart starts a new kernel process, which starts a new session: this one is never reused.
        sessions.shutdown();
        JsonObject content = JupyterMessages.ok();
        content.addProperty("restart", restart);
        exchange.reply("shutdown_reply", content);
        exchange.shutdownAfterwards();
    }

    private static String implementationVersion() {
        String version = KernelRequests.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
