package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.GatewayProcess;
import io.hearth.gateway.config.Settings;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An engine that runs as its user's OS account outlives a SIGKILL of its root gateway, and the gateway started again on
 * the same state directory takes its session back: one throwaway OS user, a gateway process with token authentication,
 * one real PySpark engine. The session comes back idle in the same engine (its Python variable still set), runs new
 * statements, the log API still reads the log the user's engine writes in the gateway's directory for it, and a DELETE
 * stops the engine, which root may do though the process is another account's and not its child. Needs root.
 */
class RunAsRecoveryTest {

    private static final Duration RUN = Duration.ofSeconds(180);
    private static final String USER = "hearth-t-dana";
    private static final Map<String, String> TOKENS = Map.of("dana", "dana-token-0123456789abcdefgh");

    @Test
    void anEngineRunningAsItsUserIsTakenBackAfterTheGatewayIsKilledAndStopsOnDelete() throws Exception {
        try (RunAsTestBed bed = RunAsTestBed.make("RunAsRecoveryTest", List.of(USER))) {
            Path root = bed.root();
            Map<String, String> env = Map.of(
                    Settings.ENGINE_JAR.env(), bed.engineJarTheUsersCanRead().toString(),
                    Settings.PYTHON.env(), bed.pythonTheUsersCanRun(),
                    Settings.STATE_DIR.env(), root.resolve("state").toString(),
                    Settings.AUTH_METHODS.env(), "token",
                    Settings.AUTH_TOKENS_FILE.env(), bed.tokensFile(TOKENS).toString(),
                    Settings.ENGINE_OS_USER_MAP.env(), "hearth-t-{user}",
                    Settings.ENGINE_WORK_DIR.env(), root.resolve("engines").toString(),
                    Settings.RECONNECT_GRACE.env(), "90s");
            GatewayProcess gateway = GatewayProcess.start(0, env, root.resolve("gateway-1.log"), RUN);
            try {
                UsersClient users = new UsersClient(gateway.baseUrl(), TOKENS, RUN);
                int id = users.createSession("dana", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
                users.awaitIdle(id, "dana");
                users.run(id, "dana", "kept = 'set before the kill'\nkept");
                ProcessHandle engine = RunAsTestBed.engineOf(USER);

                gateway.kill();
                assertTrue(engine.isAlive(), "the engine outlives its gateway for the reconnect grace");
                assertEquals(USER, engine.info().user().orElseThrow(), "and still runs as its user");
                gateway = GatewayProcess.start(gateway.port(), env, root.resolve("gateway-2.log"), RUN);
                users = users.at(gateway.baseUrl());

                users.awaitIdle(id, "dana");
                assertTrue(gateway.output().contains("Session " + id + " recovered from the state store: recovering,"
                        + " engine pid " + engine.pid() + " still running"), "adopted by pid: " + gateway.output());
                assertEquals("'set before the kill'", users.run(id, "dana", "kept"), "the same Python, taken back");
                assertEquals("'" + USER + "'", users.run(id, "dana",
                        "import getpass\nspark._jvm.java.lang.System.err.println('after the restart')\n"
                                + "getpass.getuser()"));
                assertEquals(engine.pid(), RunAsTestBed.engineOf(USER).pid(), "no other engine was started");
                Path dir = root.resolve("engines").resolve(Integer.toString(id));
                assertEquals("root", Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName());
                assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir,
                        LinkOption.NOFOLLOW_LINKS)), "the gateway's place, which the account may only pass through");
                assertEquals(USER, Files.getOwner(dir.resolve("engine.log"), LinkOption.NOFOLLOW_LINKS).getName());
                String log = users.get("/sessions/" + id + "/log?size=-1", "dana").toString();
                assertTrue(log.contains("after the restart") && log.contains("SparkContext")
                                && log.contains("the gateway restarted"),
                        "the restarted gateway reads the log the user's engine writes: " + log);

                assertEquals(200, users.send("DELETE", "/sessions/" + id, "dana", null).statusCode());
                assertTrue(engine.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).join() != null
                        && !engine.isAlive(), "root stops the adopted engine of another account");
                for (String output : List.of(Files.readString(root.resolve("gateway-1.log")), gateway.output())) {
                    assertFalse(output.contains(" WARN ") || output.contains(" ERROR ") || output.contains("Exception"),
                            "both gateways ran clean: " + output);
                }
            } finally {
                gateway.kill();
            }
        }
    }
}
