package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.channel.SessionSecrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway is killed with SIGKILL while statements run in several sessions, then started again on the same state
 * directory: every session comes back with every statement and its exact result, including those that finished while
 * no gateway was running and those still queued at the kill; statements posted while the sessions recover run once
 * their engines are back; and the same engines go on running new statements.
 *
 * <p>Meanwhile another user's code holding a session's secret ({@link EngineImpostor}) claims that session on the
 * engine channel: while it is live, while it recovers (before its engine is back: issue 11's attack, which took the
 * session from its engine), and with the link key too once it is back. Each time the gateway refuses the impostor, logs
 * it, and the session and its engine go on untouched.
 */
class GatewayRestartTest {

    private static final int SESSIONS = 2;
    /** The middle statement sleeps this long: it is running at the kill and ends while the gateway is down. */
    private static final int SLEEP_SECONDS = 5;
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void sessionsAndStatementsSurviveAKillDashNineOfTheGatewayAndAnImpostorHoldingTheSecret() throws Exception {
        Path state = dir.resolve("state");
        Map<String, String> env = TestEngine.gatewayEnv(state);
        env.put("HEARTH_ENGINE_RECONNECT_GRACE", "90s");
        List<ProcessHandle> engines = new ArrayList<>();
        GatewayProcess gateway = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), RUN);
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                ids.add(livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                        .json().get("id").getAsInt());
            }
            for (int id : ids) {
                livy.awaitSessionState(id, "idle", TestEngine.START);
            }
            engines.addAll(TestProcesses.engines(gateway.handle()));
            assertEquals(SESSIONS, engines.size(), "one engine per session");
            EngineImpostor impostor = new EngineImpostor(state, ids.get(0));
            assertTrue(impostor.refusedWithTheSecret(gateway.channelPort())
                    .contains("claimed a session whose engine already connected"), "a live session keeps its engine");

            for (int i = 0; i < SESSIONS; i++) {
                post(livy, ids.get(i), "print('quick', " + i + ")\nbase = 40 + " + i + "\nbase");
            }
            for (int id : ids) {
                livy.awaitStatementDone(id, 0, RUN);
            }
            for (int id : ids) {
                post(livy, id, "import time\nprint('sleeping')\ntime.sleep(" + SLEEP_SECONDS + ")\nprint('woke')\n"
                        + "base * 100");
                post(livy, id, "'queued-' + str(base)");
            }
            for (int id : ids) {
                livy.awaitJson("/sessions/" + id + "/statements/1",
                        st -> st.get("state").getAsString().equals("running"), RUN);
            }
            for (int id : ids) {
                assertEquals("waiting", livy.get("/sessions/" + id + "/statements/2").json().get("state").getAsString(),
                        "the third statement waits behind the sleeping one at the kill");
            }

            long killedAt = System.currentTimeMillis();
            gateway.kill();
            // Long enough for the sleeping statements and those queued behind them to end with no gateway to tell.
            Thread.sleep(SLEEP_SECONDS * 1000L + 3000);
            for (ProcessHandle engine : engines) {
                assertTrue(engine.isAlive(), "an engine outlives its gateway for the reconnect grace");
                // Frozen for a moment, so that the restarted gateway is sure to see its sessions recovering.
                signal("STOP", engine);
            }
            long restartedAt = System.currentTimeMillis();
            gateway = GatewayProcess.start(gateway.port(), env, dir.resolve("gateway-2.log"), RUN);
            livy = new LivyClient(gateway.baseUrl());

            for (int i = 0; i < SESSIONS; i++) {
                int id = ids.get(i);
                assertEquals("recovering", livy.get("/sessions/" + id).json().get("state").getAsString());
                // Posted while the engine is away: the gateway sends it once the engine is back and resynchronised.
                assertEquals(3, post(livy, id, "base + 1"), "statement ids go on from where they were");
            }
            // The attack of issue 11: the secret alone, while the session waits for its engine to come back.
            String refusal = impostor.refusedWithTheSecret(gateway.channelPort());
            assertTrue(refusal.contains("claimed a session whose engine already connected"), refusal);
            assertEquals("recovering", livy.get("/sessions/" + ids.get(0)).json().get("state").getAsString(),
                    "the refused impostor leaves the session waiting for its own engine");
            for (ProcessHandle engine : engines) {
                signal("CONT", engine);
            }
            for (int i = 0; i < SESSIONS; i++) {
                int id = ids.get(i);
                livy.awaitSessionState(id, "idle", RUN);
                List<String> texts = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    JsonObject st = livy.get("/sessions/" + id + "/statements/" + s).json();
                    assertEquals("available", st.get("state").getAsString(), st.toString());
                    JsonObject output = st.getAsJsonObject("output");
                    assertEquals("ok", output.get("status").getAsString(), st.toString());
                    texts.add(output.getAsJsonObject("data").get("text/plain").getAsString());
                    if (s == 1) {
                        long completed = st.get("completed").getAsLong();
                        assertTrue(completed > killedAt && completed < restartedAt,
                                "statement 1 ended while the gateway was down: " + st);
                    }
                }
                int base = 40 + i;
                assertEquals(List.of("quick " + i + "\n" + base, "sleeping\nwoke\n" + base * 100,
                        "'queued-" + base + "'", Integer.toString(base + 1)), texts, "session " + id);
            }

            // Even the link key's proof does not take a session whose engine's channel is up.
            refusal = impostor.refusedWithTheLinkKeyToo(gateway.channelPort());
            assertTrue(refusal.contains("the session's engine is connected"), refusal);
            String gatewayLog = gateway.output();
            assertTrue(gatewayLog.contains("for session " + ids.get(0)
                    + ": it claimed a session whose engine already connected"), gatewayLog);

            // The same engines serve on: nothing was restarted, the Python state is the one from before the kill.
            for (int i = 0; i < SESSIONS; i++) {
                int id = ids.get(i);
                int s = post(livy, id, "print('after')\nbase + 2");
                JsonObject st = livy.awaitStatementDone(id, s, RUN);
                assertEquals("after\n" + (42 + i), st.getAsJsonObject("output").getAsJsonObject("data")
                        .get("text/plain").getAsString());
                String log = livy.get("/sessions/" + id + "/log?size=-1").body().toString();
                assertTrue(log.contains("the gateway restarted"), "the log spans both gateways: " + log);
                assertTrue(log.contains("SparkContext"), "the engine's own lines are in the log: " + log);
                assertEquals(i == 0, log.contains("[hearth] refused an engine connection from"),
                        "the session's owner can see that someone claimed it: " + log);
            }
            for (ProcessHandle engine : engines) {
                assertTrue(engine.isAlive(), "the engines from before the kill still serve");
            }
            assertSecretsNotInTheClear(engines, gateway, state, livy);
            // Nor a link key, which only the engine's memory and its first connection's Welcome hold.
            String linkKey = impostor.linkKey().value();
            assertFalse(Files.readString(dir.resolve("gateway-1.log")).contains(linkKey) || gateway.output()
                    .contains(linkKey), "the gateways never log a link key");
            assertFalse(livy.get("/sessions/" + ids.get(0) + "/log?size=-1").body().toString().contains(linkKey),
                    "nor does the engine");

            for (int id : ids) {
                assertEquals(200, livy.delete("/sessions/" + id).status());
            }
            for (ProcessHandle engine : engines) {
                assertFalse(engine.isAlive(), "deleting a recovered session stops its engine, though not our child");
            }
        } finally {
            gateway.kill();
            for (ProcessHandle engine : engines.stream().filter(ProcessHandle::isAlive).toList()) {
                signal("CONT", engine);
                engine.descendants().forEach(ProcessHandle::destroyForcibly);
                engine.destroyForcibly();
            }
        }
    }

    private static void signal(String name, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private static int post(LivyClient livy, int session, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    /**
     * Each engine's secret (derived as the gateway does, from the master key and the session's nonce) is nowhere the
     * gateway writes or shows, nor in the engine's environment.
     */
    private static void assertSecretsNotInTheClear(List<ProcessHandle> engines, GatewayProcess gateway, Path state,
                                                   LivyClient livy) throws Exception {
        StringBuilder everything = new StringBuilder(gateway.output());
        try (var files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                everything.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        everything.append(livy.get("/sessions").body());
        everything.append(String.join(" ", gateway.handle().info().arguments().orElse(new String[0])));
        SessionSecrets secrets = SessionSecrets.load(state.resolve("master.key"), new java.security.SecureRandom());
        Map<Integer, String> nonces = new HashMap<>();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + state.resolve("state.db"));
             java.sql.ResultSet rows = db.createStatement().executeQuery("SELECT id, secret_nonce FROM sessions")) {
            while (rows.next()) {
                nonces.put(rows.getInt(1), rows.getString(2));
            }
        }
        for (ProcessHandle engine : engines) {
            String environ = Files.readString(Path.of("/proc", Long.toString(engine.pid()), "environ"),
                    StandardCharsets.ISO_8859_1);
            int id = Integer.parseInt(List.of(environ.split("\0")).stream()
                    .filter(v -> v.startsWith("HEARTH_SESSION_ID=")).findFirst().orElseThrow()
                    .substring("HEARTH_SESSION_ID=".length()));
            String secret = secrets.derive(id, nonces.get(id)).value();
            assertTrue(secret.length() >= 32, "a real secret: " + secret.length() + " characters");
            assertFalse(everything.toString().contains(secret), "engine " + engine.pid() + "'s secret leaked");
            assertFalse(environ.contains(secret), "engine " + engine.pid() + "'s secret is in its environment");
        }
    }
}
