package io.hearth.kernel.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.livy.RemoteSession;
import io.hearth.kernel.livy.RemoteSessionLog;
import io.hearth.kernel.livy.RemoteStatement;
import io.hearth.kernel.livy.StreamChunk;
import io.hearth.kernel.livy.WireJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Livy and Hearth statement/session JSON, parsed as the client parses it, and what a finished statement means. */
class StatementJsonTest {

    private static RemoteStatement statement(String json) {
        return WireJson.parse(json, RemoteStatement.class);
    }

    @Test
    void livySuccessUsesOutputData() throws CellFailure {
        RemoteStatement s = statement("""
                {"id": 0, "code": "1+1", "state": "available", "progress": 1.0, "started": 1, "completed": 2,
                 "output": {"status": "ok", "execution_count": 0, "data": {"text/plain": "2"}}}""");
        assertTrue(s.isFinished());
        assertEquals(0, s.output().executionCount());
        assertTrue(s.streams().isEmpty());
        assertEquals("2", StatementOutcome.resultOf(s).get("text/plain").getAsString());
    }

    @Test
    void hearthSuccessUsesHearthDataAndStreams() throws CellFailure {
        RemoteStatement s = statement("""
                {"id": 3, "code": "print('hi'); 1+1", "state": "available", "progress": 1.0,
                 "output": {"status": "ok", "execution_count": 3, "data": {"text/plain": "hi\\n2"}},
                 "hearth": {"streams": [{"name": "stdout", "text": "hi\\n"}], "data": {"text/plain": "2"}}}""");
        assertEquals(List.of(new StreamChunk("stdout", "hi\n")), s.streams());
        JsonObject result = StatementOutcome.resultOf(s);
        assertEquals(1, result.size());
        assertEquals("2", result.get("text/plain").getAsString());
    }

    @Test
    void hearthDisplaysAreReadInOrderAndOlderGatewaysHaveNone() {
        RemoteStatement s = statement("""
                {"id": 4, "code": "display(1)", "state": "running", "progress": 0.0,
                 "hearth": {"streams": [], "displays": [{"data": {"text/plain": "1"}},
                                                        {"data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}],
                            "data": {}}}""");
        assertEquals(2, s.displays().size());
        assertEquals("1", s.displays().get(0).data().get("text/plain").getAsString());
        assertEquals("iVBOR", s.displays().get(1).data().get("image/png").getAsString());
        RemoteStatement old = statement("""
                {"id": 5, "code": "1", "state": "running", "progress": 0.0, "hearth": {"streams": [], "data": {}}}""");
        assertTrue(old.displays().isEmpty());
    }

    @Test
    void hearthEmptyResultMeansNothingToShow() throws CellFailure {
        RemoteStatement s = statement("""
                {"id": 1, "state": "available",
                 "output": {"status": "ok", "execution_count": 1, "data": {"text/plain": "hi\\n"}},
                 "hearth": {"streams": [{"name": "stdout", "text": "hi\\n"}], "data": {}}}""");
        assertEquals(0, StatementOutcome.resultOf(s).size());
    }

    @Test
    void richBundleKeepsJsonValues() throws CellFailure {
        RemoteStatement s = statement("""
                {"id": 2, "state": "available", "output": {"status": "ok", "data": {}},
                 "hearth": {"streams": [], "data": {"text/plain": "df", "text/html": "<table/>",
                   "application/json": {"a": [1, 2]}}}}""");
        JsonObject result = StatementOutcome.resultOf(s);
        assertEquals("<table/>", result.get("text/html").getAsString());
        assertEquals(2, result.getAsJsonObject("application/json").getAsJsonArray("a").get(1).getAsInt());
    }

    @Test
    void errorPassesTheUsersErrorThroughUnchanged() {
        RemoteStatement s = statement("""
                {"id": 4, "code": "1/0", "state": "available",
                 "output": {"status": "error", "execution_count": 4, "ename": "ZeroDivisionError",
                   "evalue": "division by zero",
                   "traceback": ["Traceback (most recent call last):\\n", "  File \\"<stdin>\\", line 1\\n", "ZeroDivisionError: division by zero\\n"]},
                 "hearth": {"streams": [], "data": {}}}""");
        CellFailure failure = assertThrows(CellFailure.class, () -> StatementOutcome.resultOf(s));
        assertEquals("ZeroDivisionError", failure.content().ename());
        assertEquals("division by zero", failure.content().evalue());
        assertEquals(List.of("Traceback (most recent call last):\n", "  File \"<stdin>\", line 1\n",
                "ZeroDivisionError: division by zero\n"), failure.content().traceback());
    }

    @Test
    void cancelledIsAKeyboardInterrupt() {
        RemoteStatement s = statement("{\"id\": 5, \"state\": \"cancelled\", \"output\": null}");
        assertTrue(s.isFinished());
        assertTrue(s.isCancelled());
        CellFailure failure = assertThrows(CellFailure.class, () -> StatementOutcome.resultOf(s));
        assertEquals("KeyboardInterrupt", failure.content().ename());
    }

    @Test
    void cancelledWithAPythonTracebackShowsIt() {
        RemoteStatement s = statement("""
                {"id": 5, "state": "cancelled", "output": {"status": "error", "execution_count": 5,
                  "ename": "KeyboardInterrupt", "evalue": "", "traceback": ["  File \\"<cell>\\", line 2\\n"]}}""");
        CellFailure failure = assertThrows(CellFailure.class, () -> StatementOutcome.resultOf(s));
        assertEquals("KeyboardInterrupt", failure.content().ename());
        assertEquals(List.of("  File \"<cell>\", line 2\n"), failure.content().traceback());
    }

    @Test
    void cancelledSparkJobsAreAKeyboardInterruptNotAJavaTrace() {
        RemoteStatement s = statement("""
                {"id": 1, "state": "cancelled", "output": {"status": "error", "execution_count": 1,
                  "ename": "Py4JJavaError", "evalue": "An error occurred ... SPARK_JOB_CANCELLED\\n\\tat org.apache.spark...",
                  "traceback": []}}""");
        CellFailure failure = assertThrows(CellFailure.class, () -> StatementOutcome.resultOf(s));
        assertEquals("KeyboardInterrupt", failure.content().ename());
        assertEquals(List.of("KeyboardInterrupt", "The statement was cancelled."), failure.content().traceback());
    }

    @Test
    void livyNullDataIsAnEmptyResult() throws CellFailure {
        RemoteStatement s = statement("{\"id\": 8, \"state\": \"available\", \"output\": {\"status\": \"ok\", \"data\": null}}");
        assertEquals(0, StatementOutcome.resultOf(s).size());
    }

    @Test
    void aBundleThatIsNotAnObjectIsRejected() {
        assertThrows(com.google.gson.JsonParseException.class, () -> statement(
                "{\"id\": 9, \"state\": \"available\", \"output\": {\"status\": \"ok\", \"data\": \"2\"}}"));
    }

    @Test
    void runningStatementsAreNotFinished() {
        for (String state : List.of("waiting", "running", "cancelling")) {
            RemoteStatement s = statement("{\"id\": 6, \"state\": \"" + state + "\", \"output\": null, \"progress\": 0.5,"
                    + " \"hearth\": {\"streams\": [{\"name\": \"stderr\", \"text\": \"warn\"}], \"data\": null}}");
            assertFalse(s.isFinished(), state);
            assertEquals(0.5, s.progress());
            assertEquals("stderr", s.streams().get(0).name());
            assertThrows(IllegalArgumentException.class, () -> StatementOutcome.resultOf(s));
        }
    }

    @Test
    void unknownOutputStatusIsAGatewayError() {
        RemoteStatement s = statement("{\"id\": 7, \"state\": \"available\", \"output\": {\"status\": \"weird\"}}");
        CellFailure failure = assertThrows(CellFailure.class, () -> StatementOutcome.resultOf(s));
        assertEquals("GatewayError", failure.content().ename());
    }

    @Test
    void sessionStates() {
        RemoteSession starting = WireJson.parse("""
                {"id": 3, "name": null, "appId": null, "owner": null, "proxyUser": null, "state": "starting",
                 "kind": "pyspark", "appInfo": {"driverLogUrl": null, "sparkUiUrl": null}, "log": ["a", "b"]}""",
                RemoteSession.class);
        assertEquals(3, starting.id());
        assertFalse(starting.isReady());
        assertFalse(starting.isGone());
        assertEquals(List.of("a", "b"), starting.logOrEmpty());
        for (String ready : List.of("idle", "busy")) {
            assertTrue(WireJson.parse("{\"id\": 1, \"state\": \"" + ready + "\"}", RemoteSession.class).isReady());
        }
        for (String gone : List.of("dead", "error", "killed", "shutting_down", "success")) {
            RemoteSession s = WireJson.parse("{\"id\": 1, \"state\": \"" + gone + "\"}", RemoteSession.class);
            assertTrue(s.isGone(), gone);
            assertTrue(s.logOrEmpty().isEmpty());
        }
    }

    @Test
    void sessionLog() {
        RemoteSessionLog log = WireJson.parse("{\"id\": 3, \"from\": 0, \"total\": 2, \"log\": [\"x\", \"y\"]}", RemoteSessionLog.class);
        assertEquals(List.of("x", "y"), log.lines());
        assertNull(WireJson.parse("{\"id\": 3}", RemoteSessionLog.class).log());
        assertTrue(WireJson.parse("{\"id\": 3}", RemoteSessionLog.class).lines().isEmpty());
    }
}
