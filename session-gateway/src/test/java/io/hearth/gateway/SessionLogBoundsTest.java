package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.protocol.SessionLogFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A session's output cannot take the gateway's disk nor the engine's heap: output written straight to the file
 * descriptors and printed by executors keeps the session log within {@code hearth.session.log-max-size} (1 MiB here),
 * and a line of hundreds of megabytes without a newline passes through the engine's pumps (engine heap 512 MiB) in
 * bounded pieces. One real session, on the local launcher, for both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionLogBoundsTest {

    private static final Duration RUN = Duration.ofMinutes(3);
    private static final long CAP = 1024 * 1024;
    /** The rotated part starts with one marker line beyond the cap. */
    private static final long SLACK = 200;

    private Gateway gateway;
    private LivyClient livy;
    private int session;
    private int statements;
    private Path log;

    @BeforeAll
    void startSession() throws Exception {
        Path state = TestEngine.stateDir();
        gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, state)
                .with(Settings.SESSION_LOG_MAX_SIZE, "1m").build());
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"driverMemory\": \"512m\","
                + " \"conf\": {\"spark.ui.enabled\": \"false\"}}").json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
        log = state.resolve("sessions").resolve(Integer.toString(session)).resolve("engine.log");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    private JsonObject run(String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        livy.post("/sessions/" + session + "/statements", body.toString());
        JsonObject done = livy.awaitStatementDone(session, statements++, RUN);
        assertEquals("ok", done.getAsJsonObject("output").get("status").getAsString(), done.toString());
        return done;
    }

    private void assertUsable() {
        JsonObject done = run("6 * 7");
        assertEquals("42", done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals("idle", livy.get("/sessions/" + session).json().get("state").getAsString());
    }

    private long onDisk() throws Exception {
        Path rotated = SessionLogFile.rotated(log);
        return Files.size(log) + (Files.exists(rotated) ? Files.size(rotated) : 0);
    }

    private List<String> logLines() {
        JsonArray lines = livy.get("/sessions/" + session + "/log?size=-1").json().getAsJsonArray("log");
        List<String> out = new ArrayList<>();
        for (JsonElement l : lines) {
            out.add(l.getAsString());
        }
        return out;
    }

    @Test
    void outputStraightToTheDescriptorsAndFromExecutorsKeepsTheLogWithinItsCap() throws Exception {
        // 3 MiB each way: Python's descriptors 1 and 2, the JVM's System.out, and Python workers on local executors.
        run("import os\n"
                + "line = b'd' * 1023 + b'\\n'\n"
                + "for _ in range(3 * 1024):\n"
                + "    os.write(1, line)\n"
                + "    os.write(2, line)\n"
                + "for _ in range(3 * 1024):\n"
                + "    spark._jvm.System.out.println('j' * 1023)\n"
                + "sc.parallelize(range(2), 2).foreach(lambda _: [print('e' * 1023) for _ in range(1536)])\n"
                + "os.write(1, b'last line of the flood\\n')");
        assertTrue(onDisk() <= CAP + SLACK, "engine.log and engine.log.1 hold " + onDisk() + " bytes");
        String rotated = Files.readString(SessionLogFile.rotated(log), StandardCharsets.UTF_8);
        assertTrue(rotated.startsWith("[hearth] ") && rotated.lines().findFirst().orElseThrow()
                .endsWith(" bytes of earlier output dropped (hearth.session.log-max-size)"), rotated.substring(0, 200));
        assertUsable();
        List<String> lines = logLines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("last line of the flood")), "the newest output is read");
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("(hearth.session.log-max-size)")),
                "the log reads on into the rotated part, up to the marker");
        assertTrue(onDisk() <= CAP + SLACK, "still " + onDisk() + " bytes");
    }

    @Test
    void aLineOfHundredsOfMegabytesWithoutNewlinePassesInPiecesAndTheSessionGoesOn() throws Exception {
        // 400 MiB on stderr without a newline, written in 1 MiB pieces so that Python never holds it whole; read as
        // one line, it would need more than the engine's 512 MiB heap.
        run("import os\n"
                + "piece = b'x' * (1 << 20)\n"
                + "for _ in range(400):\n"
                + "    view = memoryview(piece)\n"
                + "    while view:\n"
                + "        view = view[os.write(2, view):]\n"
                + "os.write(2, b'end of the long line\\n')");
        assertUsable();
        List<String> lines = logLines();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("[hearth: line cut, continued below]")),
                "pieces are marked");
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("end of the long line")), "the line's end arrived");
        assertTrue(onDisk() <= CAP + SLACK, "engine.log and engine.log.1 hold " + onDisk() + " bytes");
    }
}
