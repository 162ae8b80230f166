package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.execution.CellRunner;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.livy.StatementKind;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** What the user sees when there is no gateway, or its URL is wrong: a message naming the URL, no Java trace. */
class GatewayClientTest {

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void noGatewayIsUnreachable() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        try (GatewayClient client = new GatewayClient(url + "/")) {
            assertEquals(url, client.baseUrl());
            GatewayException e = assertThrows(GatewayException.class, () -> client.createSession(kindOnly("pyspark")));
            assertInstanceOf(GatewayUnreachableException.class, e);
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertEquals(0, e.getStackTrace().length);
        }
    }

    @Test
    void aCellWithoutGatewayExplainsHowToStartOne() throws Exception {
        try (ActiveGateway gateway = new ActiveGateway(GatewaySettings.of("http://127.0.0.1:" + closedPort()))) {
            GatewayClient client = gateway.client();
            CellRunner runner = runner(gateway);
            CellFailure failure = assertThrows(CellFailure.class, () -> runner.run("1+1", CellSink.DISCARD));
            assertEquals("GatewayUnreachableError", failure.content().ename());
            String traceback = String.join("\n", failure.content().traceback());
            assertTrue(traceback.contains(client.baseUrl()), traceback);
            assertTrue(traceback.contains("bin/hearth gateway"), traceback);
            assertTrue(traceback.contains("bin/hearth lab"), traceback);
            assertFalse(traceback.contains("at io.hearth"), traceback);
        }
    }

    @Test
    void blankCellsNeedNoGateway() throws Exception {
        try (ActiveGateway gateway = new ActiveGateway(GatewaySettings.of("http://127.0.0.1:" + closedPort()))) {
            CellRunner runner = runner(gateway);
            assertEquals(0, runner.run("  \n", CellSink.DISCARD).size());
        }
    }

    @Test
    void badUrlIsReportedAtTheFirstCall() throws Exception {
        try (GatewayClient client = new GatewayClient("localhost:8998")) {
            GatewayException e = assertThrows(GatewayException.class, () -> client.session(1));
            assertTrue(e.getMessage().contains("HEARTH_GATEWAY_URL"), e.getMessage());
        }
        assertNull(GatewayUrl.problem("https://gw.example/livy"));
        assertTrue(GatewayUrl.problem("ftp://x") != null);
        assertTrue(GatewayUrl.problem("http://") != null);
    }

    @Test
    void livyErrorMessages() {
        assertEquals("Session '7' not found.", GatewayClient.errorMessage("{\"msg\": \"Session '7' not found.\"}"));
        assertEquals("<html>oops</html>", GatewayClient.errorMessage("<html>oops</html>"));
    }

    private static CellRunner runner(ActiveGateway gateway) {
        Interrupts interrupts = new Interrupts();
        return new CellRunner(gateway, new SessionKeeper(gateway, StatementKind.PYSPARK, interrupts), interrupts,
                StatementKind.PYSPARK);
    }

    private static com.google.gson.JsonObject kindOnly(String kind) {
        com.google.gson.JsonObject body = new com.google.gson.JsonObject();
        body.addProperty("kind", kind);
        return body;
    }
}
