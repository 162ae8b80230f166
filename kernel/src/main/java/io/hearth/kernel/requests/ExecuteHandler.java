package io.hearth.kernel.requests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellExecutor;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.ErrorContent;
import io.hearth.kernel.cell.KernelErrors;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.jupyter.Exchange;
import io.hearth.kernel.jupyter.HistoryLog;
import io.hearth.kernel.jupyter.JupyterMessage;
import io.hearth.kernel.jupyter.RequestHandler;
import io.hearth.kernel.livy.RemoteInspection;
import io.hearth.kernel.magic.CellLanguage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code execute_request} handler: {@code execute_input}, streams, result or error, {@code execute_reply}, with
 * {@code silent}, {@code store_history} and {@code stop_on_error} honoured; {@code name?} pages the name's
 * documentation instead of running anything.
 */
public final class ExecuteHandler implements RequestHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ExecuteHandler.class);
    /** The display type the engine sends for the cell's {@code clear_output()}: Jupyter's clear_output instead. */
    static final String CLEAR_OUTPUT_MIME = "application/vnd.hearth.clear-output+json";

    private final CellExecutor runner;
    private final SessionKeeper sessions;
    private final CellLanguage cellLanguage;
    private final HistoryLog history;
    // Only the shell thread runs execute requests, one at a time.
    private int executionCount;

    /**
     * A handler that runs cells with {@code runner}, looks {@code name?} up in {@code sessions} by the interpreter of
     * the kernel's language ({@code cellLanguage}), records to {@code history}.
     */
    public ExecuteHandler(CellExecutor runner, SessionKeeper sessions, CellLanguage cellLanguage, HistoryLog history) {
        this.runner = runner;
        this.sessions = sessions;
        this.cellLanguage = cellLanguage;
        this.history = history;
    }

    @Override
    public void handle(Exchange exchange) {
        JupyterMessage request = exchange.request();
        String code = request.text("code");
        // Silent requests (frontends' own probes) neither count, nor broadcast, nor enter the history, as in IPython.
        boolean silent = request.flag("silent", false);
        boolean storeHistory = !silent && request.flag("store_history", true);
        if (storeHistory) {
            executionCount++;
        }
        int count = executionCount;
        JupyterMessages messages = new JupyterMessages(exchange);
        if (!silent) {
            messages.executeInput(code, count);
        }
        Optional<CellLanguage.HelpRequest> help = CellLanguage.helpRequest(code);
        ErrorContent error = help.isPresent()
                ? page(help.get().name(), help.get().detail(), count, messages)
                : run(code, count, silent, storeHistory, messages);
        if (error == null) {
            return;
        }
        // The queued cells are taken before the reply leaves: a cell the client sends once it has the reply is not
        // among them, however fast the client is, and runs.
        if (request.flag("stop_on_error", true)) {
            exchange.abortQueuedExecutes();
        }
        if (!silent) {
            messages.error(error);
        }
        messages.executeError(count, error);
    }

    /** Runs the cell; returns its error, or null when it succeeded (and was answered). */
    private ErrorContent run(String code, int count, boolean silent, boolean storeHistory, JupyterMessages messages) {
        try {
            JsonObject result = runner.run(code, silent ? CellSink.DISCARD : new CellSink() {
                @Override
                public void stream(String name, String text) {
                    messages.stream(name, text);
                }

                @Override
                public void display(JsonObject data) {
                    JsonElement clear = data.get(CLEAR_OUTPUT_MIME);
                    if (clear != null && clear.isJsonObject()) {
                        JsonElement wait = clear.getAsJsonObject().get("wait");
                        messages.clearOutput(wait != null && wait.isJsonPrimitive() && wait.getAsBoolean());
                    } else {
                        messages.displayData(data);
                    }
                }

                @Override
                public void display(JsonObject data, String displayId) {
                    messages.displayData(data, displayId, false);
                }

                @Override
                public void updateDisplay(JsonObject data, String displayId) {
                    messages.displayData(data, displayId, true);
                }
            });
            if (!silent && result.size() > 0) {
                messages.executeResult(count, result);
            }
            if (storeHistory) {
                JsonElement text = result.get("text/plain");
                history.add(count, code, text != null && text.isJsonPrimitive() ? text.getAsString() : null);
            }
            messages.executeOk(count, new JsonArray());
            return null;
        } catch (CellFailure failure) {
            return failure.content();
        } catch (RuntimeException bug) {
            LOG.error("Unexpected failure running a cell", bug);
            return KernelErrors.kernelBug(bug);
        }
    }

    /** Answers {@code name?} with a {@code page} payload of the session's documentation for the name. */
    private ErrorContent page(String name, int detail, int count, JupyterMessages messages) {
        RemoteInspection found = sessions.inspect(cellLanguage.kernelKind(), name,
                name.codePointCount(0, name.length()), detail);
        if (!found.found() || found.data() == null || found.data().size() == 0) {
            return ErrorContent.ofKernel("NameError", "Object `" + name + "` not found.",
                    "Nothing is known about `" + name + "` in the session (run a cell defining it first).");
        }
        JsonObject item = new JsonObject();
        item.addProperty("source", "page");
        item.add("data", found.data());
        item.addProperty("start", 0);
        JsonArray payload = new JsonArray();
        payload.add(item);
        history.add(count, name + "?".repeat(detail + 1), null);
        messages.executeOk(count, payload);
        return null;
    }
}
