package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.gateway.Gateway;
import io.hearth.gateway.StandInEngine;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.config.Settings;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * With authentication on, each engine runs as its user's OS account, and users' code cannot reach each other or the
 * gateway: two real OS users made for the test ({@code useradd}), one real gateway over HTTP, two real engines with
 * Spark. From inside alice's PySpark session her code tries to read bob's engine's environment and log, the gateway's
 * master key, tokens file and state database, and to kill bob's engine; every attempt fails, and both sessions keep
 * working. Her engine, her Python driver and her Python workers have no secret and none of the gateway's variables in
 * their environments. A user with no account is refused; with the shared-account opt-in an engine runs as the gateway.
 * Needs root (as CI runs), to make users and to run the gateway as the privilege step requires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnginesRunAsTheirUsersTest {

    private static final Duration START = Duration.ofSeconds(180);
    private static final String ALICE = "hearth-t-alice";
    private static final String BOB = "hearth-t-bob";
    private static final Map<String, String> TOKENS = Map.of("alice", "alice-token-0123456789abcdef",
            "bob", "bob-token-0123456789abcdefgh", "carol", "carol-token-0123456789abcdef");

    private RunAsTestBed bed;
    /** World-passable (0711) like /var/lib: only the modes the gateway sets keep users out of what is in it. */
    private Path root;
    private Path state;
    private Path tokensFile;
    private Gateway gateway;
    private UsersClient users;
    private int alices;
    private int bobs;

    @BeforeAll
    void start() throws Exception {
        bed = RunAsTestBed.make("EnginesRunAsTheirUsersTest", List.of(ALICE, BOB));
        root = bed.root();
        state = root.resolve("state");
        tokensFile = bed.tokensFile(TOKENS);
        gateway = Gateway.start(TestConfig.of(bed.engineJarTheUsersCanRead(), bed.pythonTheUsersCanRun())
                .with(Settings.STATE_DIR, state)
                .with(Settings.AUTH_METHODS, "token").with(Settings.AUTH_TOKENS_FILE, tokensFile)
                .with(Settings.ENGINE_OS_USER_MAP, "hearth-t-{user}")
                .with(Settings.ENGINE_WORK_DIR, root.resolve("engines"))
                .with(Settings.SESSION_LOG_MAX_SIZE, "64k")
                .with(Settings.ALLOWED_LOCAL_DIRS, Files.createDirectory(root.resolve("apps")))
                // Asked for, and not kept: pooled engines would run as the gateway's account (the users rule).
                .with(Settings.POOL_SIZE, 1)
                .build());
        users = new UsersClient(gateway.baseUrl(), TOKENS, START);
        alices = users.createSession("alice", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        // A driver JVM option makes bob's engine go through spark-submit (client mode, local master): the other launcher.
        // His proxyUser is named to Spark and Hadoop, not impersonated: his engine already is his account's.
        bobs = users.createSession("bob", "{\"kind\": \"pyspark\", \"proxyUser\": \"bob\", \"conf\": {\"spark.ui.enabled\": \"false\","
                + " \"spark.driver.extraJavaOptions\": \"-Dhearth.test=run-as\"}}");
        users.awaitIdle(alices, "alice");
        users.awaitIdle(bobs, "bob");
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void noPooledEngineServesThemEveryEngineStartsColdAsItsUsersAccount() throws Exception {
        for (String user : List.of("alice", "bob")) {
            int id = user.equals("alice") ? alices : bobs;
            assertEquals("cold", users.get("/sessions/" + id, user).getAsJsonObject().getAsJsonObject("start")
                    .get("mode").getAsString(), user + "'s session");
        }
        assertEquals("", Files.readString(state.resolve("pool-engines")), "no engine was started for a pool");
    }

    @Test
    @Order(1)
    void eachEngineRunsAsItsUsersAccountAndIsTheirsToWriteIn() throws Exception {
        assertEquals("'" + ALICE + "'", users.run(alices, "alice",
                "import subprocess\nsubprocess.run(['id', '-un'], capture_output=True, text=True).stdout.strip()"));
        assertEquals("'" + BOB + "'", users.run(bobs, "bob", "import getpass\ngetpass.getuser()"));
        assertEquals("'run-as'", users.run(bobs, "bob", "spark._jvm.java.lang.System.getProperty('hearth.test')"));
        assertEquals("'bob'", users.run(bobs, "bob", "spark.sparkContext.sparkUser()"));
        assertTrue(users.get("/sessions/" + bobs + "/log?size=-1", "bob").toString().contains("launching engine with"
                + " spark-submit"), "bob's engine came through spark-submit");
        assertEquals(ALICE, RunAsTestBed.engineOf(ALICE).info().user().orElseThrow());
        // Spark SQL writes its warehouse in the working directory: the engine's own.
        assertEquals("3", users.run(alices, "alice", "spark.range(3).write.saveAsTable('t')\nspark.table('t').count()"));
        assertTrue(Files.isDirectory(root.resolve("engines").resolve(Integer.toString(alices)).resolve("work")
                .resolve("spark-warehouse").resolve("t")));
    }

    @Test
    @Order(2)
    void noSecretAndNoneOfTheGatewaysVariablesInHerEngineHerPythonOrHerWorkers() throws Exception {
        String environments = users.run(alices, "alice", """
                import os, json
                engine = open('/proc/%d/environ' % os.getppid(), 'rb').read().decode('latin-1').split('\\0')
                workers = sc.parallelize(range(2), 2).map(lambda _: dict(os.environ)).collect()
                print(json.dumps({'engine': engine, 'driver': dict(os.environ), 'workers': workers}))""");
        assertTrue(environments.contains("HEARTH_SESSION_ID") && environments.contains("PYSPARK_GATEWAY_PORT"),
                "the engine's and Python's own variables are there: " + environments);
        assertTrue(environments.contains("HOME=" + bed.home(ALICE)), "her HOME: " + environments);
        String secret = secretOf(alices);
        assertFalse(environments.contains(secret), "alice's session secret is in an environment: " + environments);
        for (String gatewayOnly : List.of("HEARTH_AUTH", "HEARTH_STATE_DIR", "HEARTH_SESSION_SECRET", tokensFile.toString(),
                state.toString())) {
            assertFalse(environments.contains(gatewayOnly), gatewayOnly + " reached alice's code: " + environments);
        }
    }

    @Test
    @Order(3)
    void herCodeCannotReadBobsEngineOrTheGatewaysFilesNorKillBobsEngine() throws Exception {
        long bobsEngine = RunAsTestBed.engineOf(BOB).pid();
        Path bobsLog = root.resolve("engines").resolve(Integer.toString(bobs)).resolve("engine.log");
        assertTrue(Files.size(bobsLog) > 0, "bob's engine writes its log: " + bobsLog);
        String code = """
                import os, json
                def attempt(f):
                    try:
                        f()
                        return 'succeeded'
                    except Exception as e:
                        return type(e).__name__
                def read(path):
                    return lambda: open(path, 'rb').read()
                print(json.dumps({
                    'own engine environ': attempt(read('/proc/%d/environ' % os.getppid())),
                    'bob engine environ': attempt(read('/proc/BOB_PID/environ')),
                    'bob engine memory': attempt(read('/proc/BOB_PID/mem')),
                    'bob engine log': attempt(read('BOB_LOG')),
                    'master.key': attempt(read('STATE/master.key')),
                    'state.db': attempt(read('STATE/state.db')),
                    'tokens file': attempt(read('TOKENS')),
                    'kill bob engine': attempt(lambda: os.kill(BOB_PID, 9)),
                    'link where the gateway reads her log': attempt(lambda: os.symlink('STATE/master.key', 'OWN_DIR/x')),
                    'replace her log': attempt(lambda: os.rename('OWN_DIR/work', 'OWN_DIR/engine.log')),
                }, sort_keys=True))"""
                .replace("BOB_PID", Long.toString(bobsEngine)).replace("BOB_LOG", bobsLog.toString())
                .replace("STATE", state.toString()).replace("TOKENS", tokensFile.toString())
                .replace("OWN_DIR", root.resolve("engines").resolve(Integer.toString(alices)).toString());
        JsonObject results = JsonParser.parseString(users.run(alices, "alice", code)).getAsJsonObject();
        assertEquals("succeeded", results.get("own engine environ").getAsString(), "the attempts can succeed: " + results);
        results.remove("own engine environ");
        results.entrySet().forEach(e -> assertTrue(e.getValue().getAsString().equals("PermissionError"),
                e.getKey() + ": " + e.getValue() + " (all: " + results + ")"));
        assertTrue(ProcessHandle.of(bobsEngine).map(ProcessHandle::isAlive).orElse(false), "bob's engine lives");
    }

    @Test
    @Order(4)
    void bothSessionsKeepWorkingAndTheGatewayReadsTheLogsTheEnginesRotate() throws Exception {
        assertEquals("100", users.run(bobs, "bob", "spark.range(100).count()"));
        // 200 kB through the engine's stderr: past the 64 kB cap, so the engine rotates its log in its directory.
        assertEquals("0", users.run(alices, "alice",
                "err = spark._jvm.java.lang.System.err\nfor i in range(200):\n    err.println('rotated-' + 'y' * 1000)\n0"));
        Path dir = root.resolve("engines").resolve(Integer.toString(alices));
        Path rotated = dir.resolve("engine.log.1");
        assertTrue(Files.readString(rotated).contains("rotated-yyy"), "the engine rotated its log");
        assertEquals(ALICE, Files.getOwner(rotated, LinkOption.NOFOLLOW_LINKS).getName());
        assertEquals("root", Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName(), "the directory is the gateway's");
        assertEquals(ALICE, Files.getOwner(dir.resolve("work"), LinkOption.NOFOLLOW_LINKS).getName());
        assertTrue(Files.size(dir.resolve("engine.log")) + Files.size(rotated) < 70 * 1024, "within the cap");
        JsonObject log = users.get("/sessions/" + alices + "/log?size=50", "alice").getAsJsonObject();
        assertTrue(log.getAsJsonArray("log").toString().contains("rotated-yyy"), "the gateway reads it: " + log);
        assertEquals("100", users.run(alices, "alice", "spark.range(100).count()"));
    }

    @Test
    @Order(5)
    void aUserWithoutAnAccountIsRefusedNamingTheSettings() throws Exception {
        HttpResponse<String> r = users.send("POST", "/sessions", "carol", "{\"kind\": \"pyspark\"}");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("hearth-t-carol") && r.body().contains(Settings.ENGINE_OS_USER_MAP.key())
                && r.body().contains(Settings.SHARED_OS_USER.key()), r.body());
    }

    @Test
    @Order(6)
    void deletedSessionsTakeTheirEnginesAlong() throws Exception {
        ProcessHandle alicesEngine = RunAsTestBed.engineOf(ALICE);
        assertEquals(200, users.send("DELETE", "/sessions/" + alices, "alice", null).statusCode());
        assertTrue(alicesEngine.onExit().toCompletableFuture().completeOnTimeout(null, 30, TimeUnit.SECONDS).join()
                != null && !alicesEngine.isAlive(), "root stops the engine of another account");
    }

    /** The shared-account opt-in: the session of a user without an account runs, as the gateway's own account. */
    @Test
    @Order(7)
    void withTheSharedAccountOptInAnEngineRunsAsTheGateway() throws Exception {
        Path standIn = StandInEngine.jar(Files.createDirectory(root.resolve("stand-in")));
        try (Gateway shared = Gateway.start(TestConfig.of(standIn, "python3")
                .with(Settings.STATE_DIR, root.resolve("shared-state"))
                .with(Settings.AUTH_METHODS, "token").with(Settings.AUTH_TOKENS_FILE, tokensFile)
                .with(Settings.SHARED_OS_USER, true).build())) {
            HttpResponse<String> r = users.at(shared.baseUrl()).send("POST", "/sessions", "carol", "{\"kind\": \"pyspark\"}");
            assertEquals(201, r.statusCode(), r.body());
            ProcessHandle engine = RunAsTestBed.awaitProcess(p -> p.info().commandLine().orElse("").contains(standIn.toString()));
            assertEquals(System.getProperty("user.name"), engine.info().user().orElseThrow());
        }
    }

    /** A batch's spark-submit and its driver run as the account too (never as the root gateway). */
    @Test
    @Order(8)
    void aBatchRunsAsItsUsersAccount() throws Exception {
        Path app = Files.writeString(root.resolve("apps").resolve("whoami.py"),
                "import getpass, os\nprint('batch ran as ' + getpass.getuser() + ' in ' + os.getcwd())\n");
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rw-r--r--"));
        HttpResponse<String> r = users.send("POST", "/batches", "alice", "{\"file\": \"" + app + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        int id = JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsInt();
        JsonObject done = users.await("/batches/" + id, "alice", b -> List.of("success", "dead", "killed")
                .contains(b.get("state").getAsString()));
        String log = users.get("/batches/" + id + "/log?size=-1", "alice").toString();
        assertEquals("success", done.get("state").getAsString(), log);
        assertTrue(log.contains("batch ran as " + ALICE + " in " + root.resolve("engines").resolve("batch-" + id)
                        .resolve("work")),
                log);
    }

    // ---- the test bed

    /** The session's secret as the gateway derives it: from its master key and the session's stored nonce. */
    private String secretOf(int session) throws Exception {
        Map<Integer, String> nonces = new HashMap<>();
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + state.resolve("state.db"));
             java.sql.ResultSet rows = db.createStatement().executeQuery("SELECT id, secret_nonce FROM sessions")) {
            while (rows.next()) {
                nonces.put(rows.getInt(1), rows.getString(2));
            }
        }
        String secret = SessionSecrets.load(state.resolve("master.key"), new SecureRandom())
                .derive(session, nonces.get(session)).value();
        assertTrue(secret.length() >= 32, "a real secret");
        return secret;
    }
}
