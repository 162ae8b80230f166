package io.hearth.kernel.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.gateway.GatewayClient;
import io.hearth.kernel.gateway.GatewayException;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.livy.RemoteSession;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.RealGateway;
import io.hearth.kernel.testing.StubGateway;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %%configure shapes the next session and %attach adopts an existing one (against a stub gateway that records what the
 * kernel asks; test_magics.py runs the same magics against a real gateway and engines); a session that dies between
 * cells is reported at the next cell (against a real gateway and engine, whose death only a real one shows). The
 * session a kernel starts as it starts ({@link SessionKeeper#startEarly}), on the real gateway: it exists before any
 * cell and the first cell runs in it; until a cell has used it {@code %%configure} replaces it and {@code %attach} lets
 * it go without {@code -f}; shutdown deletes it; a failed early start is told at the first cell.
 */
class SessionKeeperTest {

    @TempDir
    static Path temp;

    // One real gateway for the tests that need real engines.
    private static RealGateway real;
    private static ActiveGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        real = new RealGateway(temp);
        gateway = new ActiveGateway(GatewaySettings.of(real.url()));
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
        real.close();
    }

    @Test
    void configureShapesTheSessionAndAttachAdoptsItWithoutDeletingItAtShutdown() throws Exception {
        try (StubGateway stub = new StubGateway();
             ActiveGateway stubbed = new ActiveGateway(GatewaySettings.of(stub.url()))) {
            Interrupts interrupts = new Interrupts();
            SessionKeeper owner = new SessionKeeper(stubbed, StatementKind.PYSPARK, interrupts);
            owner.configure(JsonParser.parseString("{\"name\": \"bakery\", \"kind\": \"sql\"}").getAsJsonObject(),
                    false);
            new CellRunner(stubbed, owner, interrupts, StatementKind.PYSPARK).run("loaves = 7", CellSink.DISCARD);
            int id = owner.current().orElseThrow();
            JsonObject created = stub.requests("POST", "/sessions").get(0).json();
            assertEquals("bakery", created.get("name").getAsString());
            assertEquals("pyspark", created.get("kind").getAsString(), "the kernel's kind wins over a configured one");

            CellFailure running = assertThrows(CellFailure.class, () -> owner.configure(new JsonObject(), false));
            assertEquals("SessionRunning", running.content().ename());
            assertTrue(String.join("\n", running.content().traceback()).contains("%%configure -f"));

            Interrupts otherInterrupts = new Interrupts();
            SessionKeeper other = new SessionKeeper(stubbed, StatementKind.PYSPARK, otherInterrupts);
            assertEquals("SessionNotFound", assertThrows(CellFailure.class, () -> other.attach(id + 1000)).content().ename());
            other.attach(id);
            new CellRunner(stubbed, other, otherInterrupts, StatementKind.PYSPARK).run("loaves * 6", CellSink.DISCARD);
            assertEquals(2, stub.requests("POST", "/sessions/" + id + "/statements").size(), "both cells ran in one session");
            assertEquals(Optional.of(new ReleasedSession(id, true, false)), other.configure(new JsonObject(), true));
            assertEquals(List.of(id), stub.sessionIds(), "%%configure -f lets an attached session go, without deleting it");
            other.attach(id);
            other.shutdown();
            assertEquals(List.of(id), stub.sessionIds(), "an attached session outlives the kernel that attached it");

            assertEquals(Optional.of(new ReleasedSession(id, false, true)), owner.configure(new JsonObject(), true));
            assertEquals(OptionalInt.empty(), owner.current());
            assertEquals(List.of(), stub.sessionIds(), "%%configure -f deletes the session the kernel created");
        }
    }

    @Test
    void aSessionThatDiedBetweenCellsIsReportedDeadAtTheNextCellAndTheOneAfterStartsANewOne() throws Exception {
        GatewayClient client = gateway.client();
        Interrupts interrupts = new Interrupts();
        SessionKeeper sessions = new SessionKeeper(gateway, StatementKind.PYSPARK, interrupts);
        CellRunner runner = new CellRunner(gateway, sessions, interrupts, StatementKind.PYSPARK);
        // The Python interpreter's parent is the engine JVM.
        long engine = Long.parseLong(runner.run("import os\nos.getppid()", CellSink.DISCARD)
                .get("text/plain").getAsString());
        int id = sessions.current().orElseThrow();
        // Ready at that cell, so the next one posts without asking about the session first.
        ProcessHandle.of(engine).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!client.session(id).isGone()) {
            assertTrue(System.nanoTime() < deadline, "the gateway never noticed its engine's death");
            Thread.sleep(100);
        }
        CellFailure dead = assertThrows(CellFailure.class, () -> runner.run("1 + 1", CellSink.DISCARD));
        String shown = String.join("\n", dead.content().traceback());
        assertTrue(shown.contains("Spark session " + id + " is"), shown);
        assertTrue(shown.contains("The next cell starts a new session."), shown);

        assertEquals("42", runner.run("40 + 2", CellSink.DISCARD).get("text/plain").getAsString());
        assertTrue(sessions.current().orElse(-1) != id, "the cell after the failure started a new session");
        sessions.shutdown();
    }

    @Test
    void configureBeforeTheFirstCellReplacesTheEarlySessionAndTheFirstCellRunsInTheReplacement() throws Exception {
        Interrupts interrupts = new Interrupts();
        SessionKeeper sessions = new SessionKeeper(gateway, StatementKind.PYSPARK, interrupts);
        sessions.startEarly();
        int early = sessions.current().orElseThrow();
        assertTrue(ids(gateway.client().listSessions()).contains(early), "the session exists before any cell");

        Optional<ReleasedSession> released = sessions.configure(
                JsonParser.parseString("{\"name\": \"bakery\"}").getAsJsonObject(), false);
        assertEquals(Optional.of(new ReleasedSession(early, false, true)), released, "no -f needed before a cell ran");
        assertGone(early);
        int replacement = sessions.current().orElseThrow();
        assertEquals("bakery", gateway.client().session(replacement).name(),
                "the replacement starts at once, with the configured settings");

        List<JsonObject> shown = new ArrayList<>();
        CellSink sink = new CellSink() {
            @Override
            public void stream(String name, String text) {
            }

            @Override
            public void display(JsonObject data) {
                shown.add(data);
            }
        };
        JsonObject result = new CellRunner(gateway, sessions, interrupts, StatementKind.PYSPARK).run("6 * 7", sink);
        assertEquals("42", result.get("text/plain").getAsString());
        assertEquals(OptionalInt.of(replacement), sessions.current());
        String card = shown.get(0).get("text/plain").getAsString();
        assertTrue(card.startsWith("Spark session " + replacement + " started"), card);
        // The test gateway keeps no pool: the replacement started cold, and the card says so.
        assertTrue(card.contains("(cold, "), card);

        CellFailure refused = assertThrows(CellFailure.class, () -> sessions.configure(new JsonObject(), false));
        assertEquals("SessionRunning", refused.content().ename(), "after a cell ran, -f is needed as before");
        sessions.shutdown();
        assertGone(replacement);
    }

    @Test
    void attachLetsAnUntouchedEarlySessionGoAndShutdownDeletesAnEarlySessionNoCellUsed() throws Exception {
        SessionKeeper first = new SessionKeeper(gateway, StatementKind.PYSPARK, new Interrupts());
        SessionKeeper second = new SessionKeeper(gateway, StatementKind.PYSPARK, new Interrupts());
        first.startEarly();
        second.startEarly();
        int firstEarly = first.current().orElseThrow();
        int secondEarly = second.current().orElseThrow();

        assertEquals(OptionalInt.empty(), second.attach(firstEarly), "nothing of the user's is left running");
        assertGone(secondEarly);
        second.shutdown();
        assertFalse(gateway.client().session(firstEarly).isGone(), "the attached session is not the attacher's");

        first.shutdown();
        assertGone(firstEarly);
    }

    @Test
    void anEarlyStartThatFailedIsToldAtTheFirstCell() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // Nothing listens there: a gateway that is down when the kernel starts.
        try (ActiveGateway down = new ActiveGateway(GatewaySettings.of("http://127.0.0.1:" + port))) {
            SessionKeeper sessions = new SessionKeeper(down, StatementKind.PYSPARK, new Interrupts());
            sessions.startEarly();
            StringBuilder stderr = new StringBuilder();
            CellSink sink = (name, text) -> stderr.append(text);
            CellFailure failure = assertThrows(CellFailure.class,
                    () -> new CellRunner(down, sessions, new Interrupts(), StatementKind.PYSPARK).run("1 + 1", sink));
            assertTrue(stderr.toString().startsWith("The Spark session could not be started with the kernel ("), stderr.toString());
            assertTrue(stderr.toString().contains("trying again now"), stderr.toString());
            assertTrue(String.join("\n", failure.content().traceback()).contains("127.0.0.1:" + port),
                    "the retry's failure names the gateway: " + failure.content().traceback());
            sessions.shutdown();
        }
    }

    private static List<Integer> ids(List<RemoteSession> sessions) {
        return sessions.stream().map(RemoteSession::id).toList();
    }

    private static void assertGone(int id) throws Exception {
        GatewayClient client = gateway.client();
        try {
            RemoteSession session = client.session(id);
            assertTrue(session.isGone(), "session " + id + " is " + session.state());
        } catch (GatewayException e) {
            assertTrue(e.isNotFound(), e.getMessage());
        }
    }
}

