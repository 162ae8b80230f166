package io.hearth.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.Kernel;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.livy.StatementKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's own channel loop over real ZeroMQ sockets, with the real request handlers. The gateway address is a
 * closed loopback port: requests that need no session work, and every cell fails with a real "gateway unreachable"
 * error, which is the error the stop_on_error tests need.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KernelServerTest {

    private Kernel kernel;
    private KernelServer server;
    private WireClient client;

    @BeforeEach
    void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        startKernel(closedPort);
    }

    private void startKernel(int gatewayPort) throws Exception {
        kernel = new Kernel(GatewaySettings.of("http://127.0.0.1:" + gatewayPort), StatementKind.PYSPARK);
        ConnectionInfo connection = WireClient.freeConnection();
        server = new KernelServer(connection, kernel.handlers());
        server.start();
        client = new WireClient(connection);
        Thread.sleep(200); // let the SUB socket's subscription reach the kernel before anything is published
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        kernel.close();
    }

    @Test
    void aBadlySignedMessageIsDroppedAndLoggedAndTheKernelKeepsAnswering() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            client.sendRaw(client.shell, client.framesWithSignature("kernel_info_request", "0".repeat(64)));
            client.sendRaw(client.shell, List.of("<IDS|MSG>".getBytes(StandardCharsets.US_ASCII), new byte[0],
                    "{not json".getBytes(StandardCharsets.UTF_8)));
            JupyterMessage request = client.send(client.shell, "kernel_info_request", new JsonObject());
            JupyterMessage reply = client.receive(client.shell, 10_000);
            assertNotNull(reply, "the kernel answers after bad messages");
            assertEquals("kernel_info_reply", reply.type());
            assertEquals(request.id(), reply.parentHeader().get("msg_id").getAsString(), "only the valid one answered");
            assertNull(client.receive(client.shell, 300), "the dropped messages get no reply");
        } finally {
            System.setErr(original);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("Dropped a message on the shell channel: bad signature"), logged);
        assertTrue(logged.contains("Dropped a message on the shell channel: no <IDS|MSG> delimiter"), logged);
        assertTrue(!logged.contains(WireClient.KEY), "the key never reaches the log");
    }

    @Test
    void everyRequestIsWrappedInBusyAndIdleEvenAnUnknownOne() throws Exception {
        JupyterMessage unknown = client.send(client.shell, "no_such_request", new JsonObject());
        List<JupyterMessage> seen = client.iopubUntil(unknown.id(), "status", "idle");
        List<JupyterMessage> mine = seen.stream()
                .filter(m -> m.parentHeader().has("msg_id")
                        && unknown.id().equals(m.parentHeader().get("msg_id").getAsString()))
                .toList();
        assertEquals(List.of("busy", "idle"),
                mine.stream().map(m -> m.content().get("execution_state").getAsString()).toList());

        JupyterMessage info = client.send(client.shell, "kernel_info_request", new JsonObject());
        JupyterMessage reply = client.receive(client.shell, 10_000);
        assertEquals("ok", reply.content().get("status").getAsString());
        assertEquals("5.5", reply.content().get("protocol_version").getAsString());
        client.iopubUntil(info.id(), "status", "idle");
    }

    @Test
    void aCommOpenedByTheFrontendIsClosedAtOnceForTheKernelHasNoTargets() throws Exception {
        JsonObject open = new JsonObject();
        open.addProperty("comm_id", "c0ffee");
        open.addProperty("target_name", "jupyter.widget");
        open.add("data", new JsonObject());
        JupyterMessage request = client.send(client.shell, "comm_open", open);
        List<JupyterMessage> seen = client.iopubUntil(request.id(), "status", "idle");
        List<JupyterMessage> closes = seen.stream().filter(m -> m.type().equals("comm_close")).toList();
        assertEquals(1, closes.size(), WireClient.types(seen).toString());
        assertEquals("c0ffee", closes.get(0).content().get("comm_id").getAsString());
        assertEquals(request.id(), parentId(closes.get(0)));
    }

    @Test
    void messagesCarryMicrosecondUtcTimestampsAndTheKernelsOwnSession() throws Exception {
        JupyterMessage request = client.send(client.shell, "kernel_info_request", new JsonObject());
        JupyterMessage reply = client.receive(client.shell, 10_000);
        String date = reply.header().get("date").getAsString();
        assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), date);
        String session = reply.header().get("session").getAsString();
        assertNotEquals(request.header().get("session").getAsString(), session, "the kernel has a session of its own");
        assertEquals("5.5", reply.header().get("version").getAsString());
        for (JupyterMessage status : client.iopubUntil(request.id(), "status", "idle")) {
            assertEquals(session, status.header().get("session").getAsString());
        }
    }

    @Test
    void queuedCellsAreAbortedAfterAnError() throws Exception {
        // A fault fixture: the "gateway" listens but never accepts, so the first cell hangs in its request until
        // the listener closes (resetting the connection). That keeps the first cell running until the others are
        // certainly queued behind it, which a closed port (failing in microseconds) cannot promise.
        stop();
        JupyterMessage failing;
        JupyterMessage queued1;
        JupyterMessage queued2;
        try (ServerSocket silentGateway = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            startKernel(silentGateway.getLocalPort());
            failing = client.send(client.shell, "execute_request", execute("1 + 1", true));
            queued1 = client.send(client.shell, "execute_request", execute("2 + 2", true));
            queued2 = client.send(client.shell, "execute_request", execute("3 + 3", true));
            client.iopubUntil(failing.id(), "status", "busy");
            Thread.sleep(300);
            assertNull(client.receive(client.shell, 0), "the first cell is still waiting for the gateway");
        }
        JupyterMessage error = client.receive(client.shell, 30_000);
        assertEquals(failing.id(), parentId(error));
        assertEquals("error", error.content().get("status").getAsString());
        for (JupyterMessage queued : List.of(queued1, queued2)) {
            JupyterMessage reply = client.receive(client.shell, 10_000);
            assertEquals(queued.id(), parentId(reply));
            assertEquals("aborted", reply.content().get("status").getAsString());
        }
        // The abort covers only what was queued at the error: a cell sent at once after the reply runs (and fails
        // again, now on the closed port).
        JupyterMessage later = client.send(client.shell, "execute_request", execute("4 + 4", true));
        JupyterMessage reply = client.receive(client.shell, 30_000);
        assertEquals(later.id(), parentId(reply));
        assertEquals("error", reply.content().get("status").getAsString());
        assertEquals("GatewayUnreachableError", reply.content().get("ename").getAsString());
    }

    @Test
    void withoutStopOnErrorQueuedCellsStillRun() throws Exception {
        client.send(client.shell, "execute_request", execute("1 + 1", false));
        JupyterMessage queued = client.send(client.shell, "execute_request", execute("", true));
        assertEquals("error", client.receive(client.shell, 30_000).content().get("status").getAsString());
        JupyterMessage reply = client.receive(client.shell, 10_000);
        assertEquals(queued.id(), parentId(reply));
        assertEquals("ok", reply.content().get("status").getAsString());
    }

    @Test
    void onlyStoredNonSilentCellsCountAndSilentOnesBroadcastNothing() throws Exception {
        assertEquals(1, countOf(execute("", true)));
        JsonObject notStored = execute("", true);
        notStored.addProperty("store_history", false);
        assertEquals(1, countOf(notStored));
        JsonObject silent = execute("", true);
        silent.addProperty("silent", true);
        JupyterMessage request = client.send(client.shell, "execute_request", silent);
        assertEquals(1, client.receive(client.shell, 10_000).content().get("execution_count").getAsInt());
        List<String> broadcast = WireClient.types(client.iopubUntil(request.id(), "status", "idle").stream()
                .filter(m -> request.id().equals(parentId(m))).toList());
        assertEquals(List.of("status", "status"), broadcast, "a silent cell publishes only busy and idle");
        assertEquals(2, countOf(execute("", true)));
    }

    @Test
    void heartbeatEchoesAndNewSubscribersAreWelcomed() throws Exception {
        client.heartbeat.send("ping".getBytes(StandardCharsets.UTF_8), 0);
        client.heartbeat.setReceiveTimeOut(5000);
        assertEquals("ping", new String(client.heartbeat.recv(0), StandardCharsets.UTF_8));
        JupyterMessage welcome = client.receive(client.iopub, 5000);
        assertNotNull(welcome, "the subscription made in start() was welcomed");
        assertEquals("iopub_welcome", welcome.type());
        assertEquals("", welcome.content().get("subscription").getAsString());
    }

    @Test
    void shutdownRequestOnControlIsAnsweredAndStopsTheServer() throws Exception {
        JsonObject content = new JsonObject();
        content.addProperty("restart", false);
        JupyterMessage request = client.send(client.control, "shutdown_request", content);
        JupyterMessage reply = client.receive(client.control, 10_000);
        assertEquals(request.id(), parentId(reply));
        assertEquals("ok", reply.content().get("status").getAsString());
        assertEquals(false, reply.content().get("restart").getAsBoolean());
        server.awaitShutdown();
        server.close();
    }

    private int countOf(JsonObject content) throws Exception {
        JupyterMessage request = client.send(client.shell, "execute_request", content);
        JupyterMessage reply = client.receive(client.shell, 10_000);
        assertEquals(request.id(), parentId(reply));
        client.iopubUntil(request.id(), "status", "idle");
        return reply.content().get("execution_count").getAsInt();
    }

    private static JsonObject execute(String code, boolean stopOnError) {
        JsonObject content = new JsonObject();
        content.addProperty("code", code);
        content.addProperty("silent", false);
        content.addProperty("store_history", true);
        content.add("user_expressions", new JsonObject());
        content.addProperty("allow_stdin", false);
        content.addProperty("stop_on_error", stopOnError);
        return content;
    }

    private static String parentId(JupyterMessage m) {
        return m.parentHeader().has("msg_id") ? m.parentHeader().get("msg_id").getAsString() : "";
    }
}
