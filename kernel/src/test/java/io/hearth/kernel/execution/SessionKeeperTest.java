package io.hearth.kernel.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.cell.Interrupts;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.gateway.GatewayClient;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.RealGateway;
import io.hearth.kernel.testing.StubGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * %%configure shapes the next session and %attach adopts an existing one (against a stub gateway that records what the
 * kernel asks; test_magics.py runs the same magics against a real gateway and engines); a session that dies between
 * cells is reported at the next cell (against a real gateway and engine, whose death only a real one shows).
 */
class SessionKeeperTest {

    @TempDir
    Path temp;

    @Test
    void configureShapesTheSessionAndAttachAdoptsItWithoutDeletingItAtShutdown() throws Exception {
        try (StubGateway stub = new StubGateway();
             ActiveGateway gateway = new ActiveGateway(GatewaySettings.of(stub.url()))) {
            Interrupts interrupts = new Interrupts();
            SessionKeeper owner = new SessionKeeper(gateway, StatementKind.PYSPARK, interrupts);
            owner.configure(JsonParser.parseString("{\"name\": \"bakery\", \"kind\": \"sql\"}").getAsJsonObject(),
                    false);
            new CellRunner(gateway, owner, interrupts, StatementKind.PYSPARK).run("loaves = 7", CellSink.DISCARD);
            int id = owner.current().orElseThrow();
            JsonObject created = stub.requests("POST", "/sessions").get(0).json();
            assertEquals("bakery", created.get("name").getAsString());
            assertEquals("pyspark", created.get("kind").getAsString(), "the kernel's kind wins over a configured one");

            CellFailure running = assertThrows(CellFailure.class, () -> owner.configure(new JsonObject(), false));
            assertEquals("SessionRunning", running.content().ename());
            assertTrue(String.join("\n", running.content().traceback()).contains("%%configure -f"));

            Interrupts otherInterrupts = new Interrupts();
            SessionKeeper other = new SessionKeeper(gateway, StatementKind.PYSPARK, otherInterrupts);
            assertEquals("SessionNotFound", assertThrows(CellFailure.class, () -> other.attach(id + 1000)).content().ename());
            other.attach(id);
            new CellRunner(gateway, other, otherInterrupts, StatementKind.PYSPARK).run("loaves * 6", CellSink.DISCARD);
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
        try (RealGateway real = new RealGateway(temp);
             ActiveGateway gateway = new ActiveGateway(GatewaySettings.of(real.url()))) {
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
    }
}
