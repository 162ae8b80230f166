package io.hearth.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A handler that throws still leaves the client with a reply and an idle status, and the loop keeps serving. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestLoopFailureTest {

    @Test
    void aFailingHandlerGetsAnErrorReplyAndTheNextRequestIsServed() throws Exception {
        ConnectionInfo connection = WireClient.freeConnection();
        // A fake handler: a kernel bug cannot be caused on purpose through the real handlers.
        RequestHandler broken = exchange -> {
            throw new IllegalStateException("broken on purpose");
        };
        RequestHandler working = exchange -> exchange.reply("kernel_info_reply", new JsonObject());
        try (KernelServer server = new KernelServer(connection,
                Map.of("history_request", broken, "kernel_info_request", working));
             WireClient client = new WireClient(connection)) {
            server.start();
            JupyterMessage request = client.send(client.shell, "history_request", new JsonObject());
            JupyterMessage reply = client.receive(client.shell, 10_000);
            assertEquals("history_reply", reply.type());
            assertEquals("error", reply.content().get("status").getAsString());
            assertEquals("KernelError", reply.content().get("ename").getAsString());
            List<JupyterMessage> iopub = client.iopubUntil(request.id(), "status", "idle");
            assertEquals("idle", iopub.get(iopub.size() - 1).content().get("execution_state").getAsString());

            client.send(client.shell, "kernel_info_request", new JsonObject());
            assertEquals("kernel_info_reply", client.receive(client.shell, 10_000).type());
        }
    }
}
