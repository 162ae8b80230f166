package io.hearth.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;

/**
 * Sends the Jupyter messages of one request with contents built here, field by field, as the messaging protocol
 * spells them. The basekernel's own content classes miss fields ({@code status} in replies, {@code metadata} in
 * results), so only its message types and sockets are used.
 */
public final class JupyterMessages {

    private final ShellReplyEnvironment env;

    /** Messages in reply to the request that {@code env} was prepared for. */
    public JupyterMessages(ShellReplyEnvironment env) {
        this.env = env;
    }

    /** {@code status: busy} on iopub; every request starts with it. */
    public void busy() {
        env.setStatusBusy();
    }

    /** {@code status: idle} on iopub; every request ends with it, after its reply. */
    public void idle() {
        env.setStatusIdle();
    }

    /** {@code execute_input}: the code being run, with its execution count. */
    public void executeInput(String code, int count) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("execution_count", count);
        publish(MessageType.PUBLISH_EXECUTE_INPUT, content);
    }

    /** {@code stream}: printed text; any name but {@code stderr} goes to stdout. */
    public void stream(String name, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", "stderr".equals(name) ? "stderr" : "stdout");
        content.addProperty("text", text);
        publish(MessageType.PUBLISH_STREAM, content);
    }

    /** {@code execute_result}: the cell's value as a MIME bundle. */
    public void executeResult(int count, JsonObject data) {
        JsonObject content = new JsonObject();
        content.addProperty("execution_count", count);
        content.add("data", data);
        content.add("metadata", new JsonObject());
        publish(MessageType.PUBLISH_EXECUTION_RESULT, content);
    }

    /** {@code display_data}: a value the cell showed while running. */
    public void displayData(JsonObject data) {
        JsonObject content = new JsonObject();
        content.add("data", data);
        content.add("metadata", new JsonObject());
        content.add("transient", new JsonObject());
        publish(MessageType.PUBLISH_DISPLAY_DATA, content);
    }

    /** {@code error}: the exception the cell raised. */
    public void error(ErrorContent error) {
        publish(MessageType.PUBLISH_ERROR, errorFields(error));
    }

    /** {@code execute_reply} with {@code status: ok}. */
    public void executeOk(int count) {
        JsonObject content = ok();
        content.addProperty("execution_count", count);
        content.add("user_expressions", new JsonObject());
        content.add("payload", new JsonArray());
        reply(MessageType.EXECUTE_REPLY, content);
    }

    /** {@code execute_reply} with {@code status: error} and the error's fields. */
    public void executeError(int count, ErrorContent error) {
        JsonObject content = errorFields(error);
        content.addProperty("status", "error");
        content.addProperty("execution_count", count);
        reply(MessageType.EXECUTE_REPLY, content);
    }

    /** A reply of {@code type} on the request's own channel (shell or control). */
    public void reply(MessageType<?> type, JsonObject content) {
        env.reply(message(type, content));
    }

    /** A content object holding {@code status: ok}, for replies to add their fields to. */
    public static JsonObject ok() {
        JsonObject content = new JsonObject();
        content.addProperty("status", "ok");
        return content;
    }

    private void publish(MessageType<?> type, JsonObject content) {
        env.publish(message(type, content));
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
        publish(update ? MessageType.PUBLISH_UPDATE_DISPLAY_DATA : MessageType.PUBLISH_DISPLAY_DATA, content);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> message(MessageType<?> type, JsonObject content) {
        // The basekernel types a message's content by its MessageType; it serialises whatever object it gets with
        // Gson, and a JsonObject serialises as itself.
        return new Message(env.getContext(), type, content);
    }
}
