package io.hearth.kernel.testing;

import com.google.gson.JsonObject;
import io.hearth.kernel.Kernel;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.jupyter.BadMessageException;
import io.hearth.kernel.jupyter.ConnectionInfo;
import io.hearth.kernel.jupyter.JupyterMessage;
import io.hearth.kernel.jupyter.KernelServer;
import io.hearth.kernel.jupyter.WireClient;
import io.hearth.kernel.livy.StatementKind;
import java.util.List;

/**
 * A kernel wired as {@code KernelMain} wires it, served on real ZeroMQ channels, and a Jupyter client talking to it
 * over them: for tests of the kernel's request handling against a gateway at a given URL.
 */
public final class WiredKernel implements AutoCloseable {

    /** What one execute request gave: its reply and the iopub messages it caused (until idle). */
    public record Executed(JsonObject reply, List<JupyterMessage> iopub) {

        /** The text printed on stdout. */
        public String stdout() {
            return iopub.stream().filter(m -> m.type().equals("stream")
                            && m.content().get("name").getAsString().equals("stdout"))
                    .map(m -> m.content().get("text").getAsString()).reduce("", String::concat);
        }

        /** The {@code execute_result} bundles. */
        public List<JsonObject> results() {
            return iopub.stream().filter(m -> m.type().equals("execute_result"))
                    .map(m -> m.content().getAsJsonObject("data")).toList();
        }
    }

    private final Kernel kernel;
    private final KernelServer server;
    private final WireClient client;

    /** A kernel of {@code kind} whose gateway is at {@code gatewayUrl}. */
    public WiredKernel(String gatewayUrl, StatementKind kind) throws Exception {
        this(GatewaySettings.of(gatewayUrl), kind);
    }

    /** A kernel of {@code kind} with these gateway settings (URL, credentials, CA file). */
    public WiredKernel(GatewaySettings settings, StatementKind kind) throws Exception {
        kernel = new Kernel(settings, kind);
        ConnectionInfo connection = WireClient.freeConnection();
        server = new KernelServer(connection, kernel.handlers());
        server.start();
        client = new WireClient(connection);
        Thread.sleep(200); // let the SUB socket's subscription reach the kernel before anything is published
    }

    /** Runs {@code code} as a cell. */
    public Executed execute(String code) throws BadMessageException {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        JupyterMessage request = client.send(client.shell, "execute_request", content);
        List<JupyterMessage> iopub = client.iopubUntil(request.id(), "status", "idle");
        return new Executed(reply(request), iopub.stream().filter(m -> isAnswerTo(m, request)).toList());
    }

    /** The {@code complete_reply} content for {@code code} with the cursor at {@code cursor} (code points). */
    public JsonObject complete(String code, int cursor) throws BadMessageException {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", cursor);
        return reply(client.send(client.shell, "complete_request", content));
    }

    /** The {@code inspect_reply} content for {@code code} with the cursor at {@code cursor} (code points). */
    public JsonObject inspect(String code, int cursor) throws BadMessageException {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("cursor_pos", cursor);
        content.addProperty("detail_level", 0);
        return reply(client.send(client.shell, "inspect_request", content));
    }

    private JsonObject reply(JupyterMessage request) throws BadMessageException {
        while (true) {
            JupyterMessage reply = client.receive(client.shell, 30_000);
            if (reply == null) {
                throw new AssertionError("no reply to " + request.type());
            }
            if (isAnswerTo(reply, request)) {
                return reply.content();
            }
        }
    }

    private static boolean isAnswerTo(JupyterMessage m, JupyterMessage request) {
        return m.parentHeader().has("msg_id") && request.id().equals(m.parentHeader().get("msg_id").getAsString());
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        server.close();
        kernel.close();
    }
}
