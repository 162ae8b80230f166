package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.SparkHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's ways of adding code, through a real gateway whose sessions run executors in JVMs of their own (a real
 * standalone Master and Worker on loopback): {@code spark.jars.packages} resolved by Spark's Ivy from a Maven repository this
 * test serves on loopback (named by the operator's {@code spark.jars.ivySettings}, so nothing reaches a real registry),
 * {@code jars}, {@code pyFiles}, {@code files}, {@code archives} and {@code spark.driver.extraClassPath}, each seen on
 * the driver and on the executor; {@code proxyUser} as Spark's user; the layers of operator defaults; a second
 * session resolving the same package without a second download, into the gateway's own cache; the driver and its UI
 * listening on loopback only, through spark-submit and through the child JVM, with no {@code SPARK_LOCAL_IP} exported;
 * and the refusals (400) for local files outside the allowed directories and for a
 * launcher that cannot honour the settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AddingLibrariesTest {

    /** spark-submit, package resolution and an executor JVM registering, on a shared 2-core machine. */
    private static final Duration START = TestEngine.START.plusSeconds(60);
    
    private Path dir;
    private Path libs;
    private Path stateDir;
    private UserLibraries libraries;
    private StandaloneCluster cluster;
    private Gateway gateway;
    private LivyClient livy;

    @BeforeAll
    void buildLibrariesAndStartGateway(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path sparkHome = SparkHome.resolve(null, TestEngine.python())
                .orElseThrow(() -> new AssertionError("the venv's pyspark is a Spark distribution; not found"));
        libraries = UserLibraries.build(dir, sparkHome.resolve("jars"));
        libs = libraries.dir();

        Path confDir = Files.createDirectories(dir.resolve("spark-conf"));
        Files.writeString(confDir.resolve("spark-defaults.conf"), """
                spark.hearthtest.file      defaults
                spark.hearthtest.file-gw   defaults
                spark.hearthtest.all       defaults
                """);
        Properties file = new Properties();
        file.setProperty("spark.jars.ivySettings", libraries.ivySettings().toString());
        file.setProperty("spark.executor.memory", "512m");
        // One executor per session, so that the two sessions here fit on the Worker's two cores.
        file.setProperty("spark.cores.max", "1");
        file.setProperty("spark.hearthtest.file-gw", "gateway");
        file.setProperty("spark.hearthtest.all", "gateway");
        stateDir = TestEngine.stateDir();
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
        cli.put(Settings.POOL_SIZE.key(), "0"); // no engines beyond the ones the test asks for
        cluster = StandaloneCluster.start(sparkHome, dir, 2, "1g");
        cli.put(Settings.SPARK_MASTER.key(), cluster.url());
        cli.put(Settings.STATE_DIR.key(), stateDir.toString());
        cli.put(Settings.SPARK_CONF_DIR.key(), confDir.toString());
        cli.put(Settings.ALLOWED_LOCAL_DIRS.key(), libs.toString());
        // One test's session runs on local[1], in the child JVM.
        cli.put(Settings.ALLOW_MASTER_OVERRIDE.key(), "true");
        gateway = Gateway.start(GatewayConfig.resolve(cli, Map.of(), file));
        livy = new LivyClient(gateway.baseUrl());
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (libraries != null) {
            libraries.close();
        }
    }

    @Test
    void everyWayOfAddingCodeReachesTheDriverAndTheExecutorsAndPackagesAreDownloadedOnce() throws Exception {
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "proxyUser": "alice", "jars": ["%s"], "pyFiles": ["%s"], "files": ["%s"],
                 "archives": ["%s#arch"],
                 "conf": {"spark.jars.packages": "%s", "spark.driver.extraClassPath": "%s",
                          "spark.hearthtest.all": "session"}}""".formatted(libs.resolve("extra.jar"),
                libs.resolve("hearthmod.py"), libs.resolve("data.txt"), libs.resolve("arch.zip"),
                UserLibraries.PACKAGE,
                libs.resolve("on-classpath.jar")));
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();
        livy.awaitSessionState(id, "idle", START);

        String text = run(id, UserLibraries.probe() + """
                print("user", sc.sparkUser())
                print("driver-classpath", jvm.io.hearth.pkgtest.OnClassPath.name())
                print("executors", len(sc._jsc.sc().statusTracker().getExecutorInfos()))
                conf = sc.getConf()
                print("layers", ",".join(conf.get("spark.hearthtest." + k, "unset")
                                         for k in ["file", "file-gw", "all"]), conf.get("spark.sql.shuffle.partitions", "unset"))
                print("ivy", conf.get("spark.jars.ivy"))
                print("ui", sc.uiWebUrl)
                """);
        UserLibraries.assertProbe(text);
        long driverJvm = Long.parseLong(line(text, "driver-jvm"));
        assertEquals("alice", line(text, "user"), text);
        assertEquals("from the driver's class path", line(text, "driver-classpath"), text);
        assertEquals("2", line(text, "executors"), "the driver and one executor JVM: " + text);
        assertEquals("defaults,gateway,session unset", line(text, "layers"),
                "spark-defaults.conf < config file < session, Spark's own defaults beneath: " + text);
        Path ivy = stateDir.toAbsolutePath().resolve("ivy");
        assertEquals(ivy.toString(), line(text, "ivy"), text);
        assertEquals(1, libraries.downloads("greeter-1.0.jar"));
        assertEquals(1, libraries.downloads("greeting-words-1.0.jar"), "transitive dependency too");
        assertTrue(Files.isRegularFile(ivy.resolve("jars/io.hearth.pkgtest_greeter-1.0.jar")), "in the gateway's cache");

        // The compilers of Scala and Java statements see the same jars as the driver's class loader.
        assertEquals("hello from a package, from jars", line(run(id, """
                println("scala " + io.hearth.pkgtest.Greeter.greet() + ", " + io.hearth.pkgtest.Extra.name())""",
                "spark"), "scala"));
        assertEquals("hello from a package, from the driver's class path", line(run(id, """
                System.out.println("java " + io.hearth.pkgtest.Greeter.greet() + ", "
                        + io.hearth.pkgtest.OnClassPath.name());""", "java"), "java"));

        ProcessHandle engine = TestProcesses.engineOfSession(ProcessHandle.current(), id);
        assertEquals(driverJvm, engine.pid(), "spark-submit's driver JVM is the engine");
        assertListensOnLoopbackOnly(engine, line(text, "ui"));

        // A second session asking for the same package resolves it from the shared cache: no second download.
        LivyClient.Response second = livy.post("/sessions", """
                {"kind": "pyspark", "conf": {"spark.jars.packages": "%s"}}""".formatted(UserLibraries.PACKAGE));
        assertEquals(201, second.status(), String.valueOf(second.body()));
        int id2 = second.json().get("id").getAsInt();
        livy.awaitSessionState(id2, "idle", START);
        assertEquals("hello from a package", line(run(id2, """
                print("driver-package", sc._jvm.io.hearth.pkgtest.Greeter.greet())"""), "driver-package"));
        assertEquals(1, libraries.downloads("greeter-1.0.jar"), "no second download");
        assertEquals(1, libraries.downloads("greeting-words-1.0.jar"), "no second download");
        assertEquals(200, livy.delete("/sessions/" + id2).status());
        assertEquals(200, livy.delete("/sessions/" + id).status());
    }

    @Test
    void aLocalSessionsDriverAndUiListenOnLoopbackOnlyWithoutSparkLocalIp() throws Exception {
        LivyClient.Response created = livy.post("/sessions", """
                {"kind": "pyspark", "conf": {"spark.master": "local[1]"}}""");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        int id = created.json().get("id").getAsInt();
        livy.awaitSessionState(id, "idle", START);
        String text = run(id, "print('ui', sc.uiWebUrl)\nprint('n', sc.parallelize(range(10), 2).count())");
        assertEquals("10", line(text, "n"), text);
        ProcessHandle engine = TestProcesses.engineOfSession(ProcessHandle.current(), id);
        assertTrue(engine.info().command().orElse("").endsWith("java")
                && !String.join(" ", engine.info().arguments().orElseThrow()).contains("SparkSubmit"),
                "the child-JVM launcher: " + engine.info());
        assertListensOnLoopbackOnly(engine, line(text, "ui"));
        assertEquals(200, livy.delete("/sessions/" + id).status());
    }

    /** Every listening socket of the driver JVM, RPC, block manager and UI, is bound to 127.0.0.1. */
    private static void assertListensOnLoopbackOnly(ProcessHandle engine, String uiUrl) throws IOException {
        List<String> listening = listeningAddresses(engine.pid());
        assertTrue(listening.size() >= 3, "driver RPC, block manager and UI at least: " + listening);
        assertTrue(listening.stream().allMatch(a -> a.startsWith("127.0.0.1:")), "loopback only: " + listening);
        String uiPort = uiUrl.replaceAll(".*:", "");
        assertTrue(listening.contains("127.0.0.1:" + uiPort), "the UI on loopback: " + listening + " " + uiUrl);
    }

    @Test
    void localFilesOutsideTheAllowedDirectoriesAreRefusedWithWhy() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.py"), "x = 1\n");
        Files.createSymbolicLink(libs.resolve("link.py"), outside);
        int before = livy.get("/sessions").json().get("total").getAsInt();
        for (String body : List.of("{\"kind\": \"pyspark\", \"pyFiles\": [\"" + outside + "\"]}",
                "{\"kind\": \"pyspark\", \"files\": [\"" + libs + "/../outside.py\"]}",
                "{\"kind\": \"pyspark\", \"files\": [\"" + libs.resolve("link.py") + "\"]}",
                "{\"kind\": \"pyspark\", \"conf\": {\"spark.jars\": \"file://" + outside + "\"}}")) {
            LivyClient.Response r = livy.post("/sessions", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertTrue(r.msg().contains("hearth.session.allowed-local-dirs"), r.msg());
        }
        LivyClient.Response batch = livy.post("/batches", "{\"file\": \"" + outside + "\"}");
        assertEquals(400, batch.status(), String.valueOf(batch.body()));
        assertEquals(before, livy.get("/sessions").json().get("total").getAsInt(), "no session for a refused request");
    }

    @Test
    void aGatewayWhoseLauncherCannotHonourTheSettingsRefusesThemWithWhy() throws Exception {
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(Settings.ENGINE_JAR.key(), TestEngine.jar().toString());
        cli.put(Settings.PYTHON.key(), TestEngine.python());
        cli.put(Settings.PORT.key(), "0");
        cli.put(Settings.POOL_SIZE.key(), "0"); // no engines beyond the ones the test asks for
        cli.put(Settings.LAUNCHER.key(), "local");
        cli.put(Settings.STATE_DIR.key(), TestEngine.stateDir().toString());
        cli.put(Settings.ALLOWED_LOCAL_DIRS.key(), libs.toString());
        try (Gateway local = Gateway.start(GatewayConfig.resolve(cli, Map.of(), new Properties()))) {
            LivyClient client = new LivyClient(local.baseUrl());
            LivyClient.Response r = client.post("/sessions", "{\"kind\": \"pyspark\", \"jars\": [\""
                    + libs.resolve("extra.jar") + "\"], \"conf\": {\"spark.jars.packages\": \""
                    + UserLibraries.PACKAGE + "\"}}");
            assertEquals(400, r.status(), String.valueOf(r.body()));
            assertTrue(r.msg().contains("spark.jars, spark.jars.packages") && r.msg().contains("hearth.launcher"),
                    r.msg());
            assertEquals(0, client.get("/sessions").json().get("total").getAsInt(), "no dead session left behind");
        }
    }

    /**
     * The addresses the process's listening TCP sockets are bound to, as {@code 127.0.0.1:port} or {@code [::]:port}:
     * its socket inodes ({@code /proc/PID/fd}) matched against the kernel's tables ({@code /proc/net/tcp}, {@code tcp6}).
     */
    private static List<String> listeningAddresses(long pid) throws IOException {
        List<String> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> rows = Files.readAllLines(Path.of(table));
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(address(f[1]));
                }
            }
        }
        return listening;
    }

    /**
     * {@code 0100007F:1F90} (little-endian IPv4) is {@code 127.0.0.1:8080}, and so is the IPv4-mapped IPv6
     * {@code 0000000000000000FFFF00000100007F:1F90} (Java's sockets are dual-stack); other IPv6 addresses are shown
     * bracketed, in the kernel's hex.
     */
    private static String address(String hexAddressPort) {
        String[] parts = hexAddressPort.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String hex = parts[0].startsWith("0000000000000000FFFF0000") ? parts[0].substring(24) : parts[0];
        if (hex.length() == 8) {
            long ip = Long.parseLong(hex, 16);
            return (ip & 0xff) + "." + ((ip >> 8) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 24) & 0xff) + ":"
                    + port;
        }
        return "[" + parts[0] + "]:" + port;
    }

    private String run(int session, String code) {
        return run(session, code, "pyspark");
    }

    private String run(int session, String code, String kind) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        body.addProperty("kind", kind);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        JsonObject done = livy.awaitStatementDone(session, r.json().get("id").getAsInt(), START);
        JsonObject out = done.getAsJsonObject("output");
        assertEquals("ok", out.get("status").getAsString(), done.toString());
        return out.getAsJsonObject("data").get("text/plain").getAsString();
    }

    private static String line(String text, String key) {
        return text.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + "' line in " + text));
    }
}
