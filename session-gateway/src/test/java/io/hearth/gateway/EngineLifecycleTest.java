package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.launch.LocalProcessLauncher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * How sessions end when things go wrong or the gateway stops, against the gateway as operators run it: its own JVM,
 * started by {@link GatewayMain}, stopped by SIGTERM. Two real engines: one to kill, one to outlive that and then be
 * stopped by the gateway's shutdown.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EngineLifecycleTest {

    private static final Pattern LISTENING = Pattern.compile("Hearth gateway listening on (http://\\S+)");

    private Process gateway;
    private LivyClient livy;
    private int victim;
    private int survivor;

    @BeforeAll
    void startGatewayAndTwoSessions() throws Exception {
        Path log = Files.createDirectories(Path.of("target")).resolve("engine-lifecycle-gateway.log");
        ProcessBuilder pb = new ProcessBuilder(LocalProcessLauncher.currentJava().toString(),
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(), "--port", "0")
                .redirectError(log.toFile());
        pb.environment().put("HEARTH_ENGINE_JAR", TestEngine.jar().toString());
        pb.environment().put("HEARTH_PYTHON", TestEngine.python());
        pb.environment().put("HEARTH_STATE_DIR", TestEngine.stateDir().toString());
        gateway = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        Matcher m = LISTENING.matcher(String.valueOf(line));
        assertTrue(m.matches(), "first line of the gateway: " + line + "; its log is in " + log.toAbsolutePath());
        livy = new LivyClient(m.group(1));

        victim = create("victim");
        survivor = create("survivor");
        livy.awaitSessionState(victim, "idle", TestEngine.START);
        livy.awaitSessionState(survivor, "idle", TestEngine.START);
    }

    @AfterAll
    void killLeftovers() {
        // Only does something if a test failed: a test run must not leave JVMs behind either.
        if (gateway != null && gateway.isAlive()) {
            gateway.descendants().forEach(ProcessHandle::destroyForcibly);
            gateway.destroyForcibly();
        }
    }

    @Test
    @Order(1)
    void aKilledEngineMakesItsSessionDeadWithinFiveSecondsKeepingItsLogAndFailingItsStatement() {
        int sid = livy.post("/sessions/" + victim + "/statements", "{\"code\": \"import time\\ntime.sleep(600)\"}")
                .json().get("id").getAsInt();
        livy.awaitJson("/sessions/" + victim + "/statements/" + sid,
                st -> st.get("state").getAsString().equals("running"), Duration.ofSeconds(60));

        ProcessHandle engine = TestProcesses.engineOfSession(gateway.toHandle(), victim);
        List<String> argv = List.of(engine.info().arguments().orElseThrow());
        assertFalse(argv.stream().anyMatch(a -> a.contains("victim") || a.contains("spark.ui.enabled")),
                "the session's conf is not in the engine's argv: " + argv);
        long t0 = System.nanoTime();
        engine.destroyForcibly();
        livy.awaitJson("/sessions/" + victim, s -> s.get("state").getAsString().equals("dead"), Duration.ofSeconds(5));
        long noticedMillis = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        System.out.println("engine death noticed in " + noticedMillis + " ms");
        assertTrue(noticedMillis <= 5000);

        JsonObject st = livy.get("/sessions/" + victim + "/statements/" + sid).json();
        assertEquals("available", st.get("state").getAsString());
        JsonObject out = st.getAsJsonObject("output");
        assertEquals("error", out.get("status").getAsString());
        assertTrue(out.get("evalue").getAsString().contains("died"), out.toString());
        assertTrue(out.getAsJsonArray("traceback").toString().contains("engine ready"),
                "the error quotes the engine log: " + out);

        JsonObject log = livy.get("/sessions/" + victim + "/log?size=-1").json();
        String lines = log.getAsJsonArray("log").toString();
        assertTrue(lines.contains("engine ready"), "the engine's own output is kept: " + lines);
        assertTrue(lines.contains("is dead"), lines);

        LivyClient.Response refused = livy.post("/sessions/" + victim + "/statements", "{\"code\": \"1\"}");
        assertEquals(400, refused.status());
        assertTrue(refused.msg().contains("dead"), refused.msg());

        assertEquals("idle", livy.get("/sessions/" + survivor + "/state").json().get("state").getAsString());
        int other = livy.post("/sessions/" + survivor + "/statements", "{\"code\": \"1 + 1\"}").json().get("id").getAsInt();
        JsonObject done = livy.awaitStatementDone(survivor, other, Duration.ofSeconds(60));
        assertEquals("2", done.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    @Order(2)
    void sigtermStopsTheGatewayAndEveryEngineItStarted() throws Exception {
        List<ProcessHandle> family = new ArrayList<>(gateway.descendants().toList());
        assertFalse(TestProcesses.engines(gateway.toHandle()).isEmpty(), "the survivor's engine runs: " + family);

        gateway.destroy();
        assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "the gateway exits on SIGTERM");
        for (ProcessHandle p : family) {
            assertFalse(p.isAlive(), "pid " + p.pid() + " " + p.info().command().orElse("") + " outlived the gateway");
        }
    }

    private int create(String name) {
        LivyClient.Response r = livy.post("/sessions",
                "{\"kind\": \"pyspark\", \"name\": \"" + name + "\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }
}
