package io.hearth.kernel.requests;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.ErrorContent;
import io.hearth.kernel.jupyter.Exchange;

/**
 * Sends the Jupyter messages of one request, with contents built field by field as the messaging protocol spells
 * them. Busy/idle status is not here: the channel loop publishes it around every request.
 */
public final class JupyterMessages {

    private final Exchange exchange;

    /** Messages in reply to the request of {@code exchange}. */
    public JupyterMessages(Exchange exchange) {
        this.exchange = exchange;
    }

    /** {@code execute_input}: the code being run, with its execution count. */
    public void executeInput(String code, int count) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("execution_count", count);
        exchange.publish("execute_input", content);
    }

    /** {@code stream}: printed text; any name but {@code stderr} goes to stdout. */
    public void stream(String name, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", "stderr".equals(name) ? "stderr" : "stdout");
        content.addProperty("text", text);
        exchange.publish("stream", content);
    }

    /** {@code execute_result}: the cell's value as a MIME bundle. */
    public void executeResult(int count, JsonObject data) {
        JsonObject content = new JsonObject();
        content.addProperty("execution_count", count);
        content.add("data", data);
        content.add("metadata", new JsonObject());
        exchange.publish("execute_result", content);
    }

    /** {@code display_data}: a value the cell showed while running. */
    public void displayData(JsonObject data) {
        JsonObject content = new JsonObject();
        content.add("data", data);
        content.add("metadata", new JsonObject());
        content.add("transient", new JsonObject());
        exchange.publish("display_data", content);
    }

    /** {@code clear_output}: clears the cell's output, at once or ({@code wait}) when the next output arrives. */
    public void clearOutput(boolean wait) {
        JsonObject content = new JsonObject();
        content.addProperty("wait", wait);
        exchange.publish("clear_output", content);
    }

    /** {@code error}: the exception the cell raised. */
    public void error(ErrorContent error) {
        exchange.publish("error", errorFields(error));
    }

    /** {@code execute_reply} with {@code status: ok} and the {@code payload} items (e.g. a {@code page}). */
    public void executeOk(int count, JsonArray payload) {
        JsonObject content = ok();
        content.addProperty("execution_count", count);
        content.add("user_expressions", new JsonObject());
        content.add("payload", payload);
        reply("execute_reply", content);
    }

    /** {@code execute_reply} with {@code status: error} and the error's fields. */
    public void executeError(int count, ErrorContent error) {
        JsonObject content = errorFields(error);
        content.addProperty("status", "error");
        content.addProperty("execution_count", count);
        reply("execute_reply", content);
    }

    /** A reply of {@code type} on the request's own channel (shell or control). */
    public void reply(String type, JsonObject content) {
        exchange.reply(type, content);
    }

    /** A content object holding {@code status: ok}, for replies to add their fields to. */
    public static JsonObject ok() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        return content;
    }

    private static JsonObject errorFields(ErrorContent error) {
        JsonObject content = new JsonObject();
        content.addProperty("ename", error.ename());
        content.addProperty("evalue", error.evalue());
        JsonArray traceback = new JsonArray();
        error.traceback().forEach(traceback::add);
        content.add("traceback", traceback);
        return content;
    }

    /** {@code display_data} (or, with {@code update}, {@code update_display_data}) under {@code displayId}. */
    public void displayData(JsonObject data, String displayId, boolean update) {
        JsonObject content = new JsonObject();
        content.add("data", data);
        content.add("metadata", new JsonObject());
        JsonObject transientFields = new JsonObject();
        transientFields.addProperty("display_id", displayId);
        content.add("transient", transientFields);
        exchange.publish(update ? "update_display_data" : "display_data", content);
    }
}
