package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.StandInEngine;
import io.hearth.gateway.channel.SessionSecret;
import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelFingerprint;
import io.hearth.protocol.ChannelTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's process handling, with {@link StandInEngine} in place of the engine (the real engine is exercised by
 * the end-to-end tests): environment, argv, log pumping and stopping the whole process tree.
 */
class LocalProcessLauncherTest {

    @TempDir
    static Path dir;

    private static Path standInJar;

    @BeforeAll
    static void buildStandIn() throws Exception {
        standInJar = StandInEngine.jar(dir);
    }

    @Test
    void theEngineGetsItsSecretOnStandardInputOnlyAllowedVariablesAndItsOutputLandsInTheLog() throws Exception {
        Map<String, String> gatewayEnv = new LinkedHashMap<>(System.getenv());
        gatewayEnv.put("HEARTH_AUTH_TOKENS_FILE", "/etc/hearth/tokens");
        gatewayEnv.put("HEARTH_STATE_DIR", "/var/lib/hearth");
        gatewayEnv.put("AWS_SECRET_ACCESS_KEY", "gateway-cloud-key");
        gatewayEnv.put("SPARK_SCALA_VERSION", "2.13");
        gatewayEnv.put("LC_TIME", "C");
        gatewayEnv.put("OPERATOR_EXTRA", "yes");
        LocalProcessLauncher launcher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(), standInJar,
                "/opt/py/bin/python", "127.0.0.1", 4242, Duration.ofSeconds(7),
                new ChannelTls(ChannelEncryption.OFF_HOST, new ChannelFingerprint("CD".repeat(32))),
                new EngineVariables(gatewayEnv, List.of("OPERATOR_EXTRA")));
        SessionSecret secret = new SessionSecret("s3cr3t-value");
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", "local[1]");
        conf.put("spark.app.name", "x");
        conf.put("spark.hadoop.fs.s3a.secret.key", "storage-key-42");
        SessionLog log = new SessionLog(dir.resolve("engine-own.log"), 100);

        EngineProcess engine = launcher.launch(new Launcher.LaunchSpec(5, secret, conf, "512m", null, null), log);
        try {
            awaitLine(log, "to stderr");
            List<String> lines = log.tail(100);
            String secretLine = lines.stream().filter(l -> l.startsWith("secret on stdin")).reduce((a, b) -> b)
                    .orElseThrow();
            assertTrue(secretLine.startsWith("secret on stdin: true, in the environment: false"), secretLine);
            String names = secretLine.substring(secretLine.indexOf("environment ["));
            for (String gatewayOnly : List.of("HEARTH_AUTH_TOKENS_FILE", "HEARTH_STATE_DIR", "AWS_SECRET_ACCESS_KEY")) {
                assertFalse(names.contains(gatewayOnly), gatewayOnly + " reached the engine: " + names);
            }
            for (String allowed : List.of("PATH", "SPARK_SCALA_VERSION", "LC_TIME", "OPERATOR_EXTRA", "HEARTH_SESSION_ID",
                    "HEARTH_ENGINE_CONF", "HEARTH_CHANNEL_ENCRYPTION", "HEARTH_CHANNEL_FINGERPRINT")) {
                assertTrue(names.contains(allowed), allowed + " is allowed: " + names);
            }
            assertTrue(lines.contains("session 5 dials 127.0.0.1:4242"), lines.toString());
            gatewayEnv.put("HEARTH_TEST_MARKER", "named");
            assertEquals(Set.of("AWS_SECRET_ACCESS_KEY", "SPARK_SCALA_VERSION", "LC_TIME", "OPERATOR_EXTRA",
                            "HEARTH_TEST_MARKER"),
                    EngineVariables.sameAccount(gatewayEnv, List.of("HEARTH_TEST_MARKER")).allowed().keySet().stream()
                            .filter(n -> !System.getenv().containsKey(n)).collect(Collectors.toSet()),
                    "an engine of the gateway's own account keeps all but the gateway's HEARTH_* settings not named");
            assertTrue(lines.contains("python /opt/py/bin/python"), lines.toString());
            assertTrue(lines.contains("reconnect grace 7000"), "the engine learns the grace in ms: " + lines);
            assertTrue(log.file().toFile().length() > 0, "the engine writes its log file itself, not through a pipe");
            assertTrue(lines.contains("local ip 127.0.0.1"), "a local engine binds Spark to loopback: " + lines);
            assertTrue(lines.contains("args "), "no Spark settings in argv: " + lines);
            assertTrue(lines.contains("conf mode rw-------"), "the conf file is private: " + lines);
            assertTrue(lines.contains("conf {spark.app.name=x, spark.hadoop.fs.s3a.secret.key=storage-key-42,"
                    + " spark.master=local[1]}"), lines.toString());
            assertFalse(String.join("\n", lines).contains(secret.value()), "the secret must not reach the log");

            List<String> argv = List.of(ProcessHandle.of(engine.pid()).orElseThrow().info().arguments().orElseThrow());
            assertFalse(argv.stream().anyMatch(a -> a.contains(secret.value())), "the secret must not be in argv");
            assertFalse(argv.stream().anyMatch(a -> a.contains("storage-key-42") || a.contains("spark.app.name")),
                    "client conf values must not be in argv: " + argv);
            assertTrue(argv.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), "Spark's module options: " + argv);
            assertTrue(argv.contains("-Xmx512m"), "driverMemory sizes the engine JVM: " + argv);
        } finally {
            stopAndCheckTreeGone(engine);
        }
        // The stand-in never deletes its file, as a crashed engine would not: the launcher's fallback must.
        List<Path> confFiles = confFilesWith(log.file().getParent(), "storage-key-42");
        for (int i = 0; i < 40 && !confFiles.isEmpty(); i++) {
            Thread.sleep(50);
            confFiles = confFilesWith(log.file().getParent(), "storage-key-42");
        }
        assertTrue(confFiles.isEmpty(), "conf files left behind: " + confFiles);
    }

    private static List<Path> confFilesWith(Path dir, String text) throws java.io.IOException {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(dir)) {
            return all.filter(p -> p.getFileName().toString().startsWith("hearth-conf-"))
                    .filter(p -> readable(p).contains(text)).toList();
        }
    }

    private static String readable(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void stopEndsTheEngineAndTheChildrenItStarted() throws Exception {
        LocalProcessLauncher launcher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(), standInJar,
                null, "127.0.0.1", 1, Duration.ZERO, ChannelTls.LOOPBACK_ONLY,
                new EngineVariables(System.getenv(), List.of()));
        SessionLog log = new SessionLog(dir.resolve("engine.log"), 100);
        EngineProcess engine = launcher.launch(
                new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "local"), null, null, null), log);
        awaitLine(log, "to stderr");
        stopAndCheckTreeGone(engine);
    }

    @Test
    void aFreshClassArchiveIsMappedAndAMissingStaleOrMismatchedOneNeverBreaksAStart() throws Exception {
        Path own = dir.resolve("archived");
        java.nio.file.Files.createDirectories(own);
        // Named through a link, as an install's /opt/hearth -> /opt/hearth-<version>: one spelling for the JVM's check.
        Path jar = java.nio.file.Files.createSymbolicLink(dir.resolve("linked.jar"), StandInEngine.jar(own));
        Path archive = own.toRealPath().resolve(EngineClassArchive.FILE_NAME);

        List<String> lines = launchStandIn(jar, archive, false);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("[hearth] no class archive")), lines.toString());

        // The training run: the stand-in fails without its environment, and the JVM writes the archive as it exits.
        Process training = new ProcessBuilder(LocalProcessLauncher.currentJava().toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-cp", jar.toRealPath().toString(), "StandIn")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(training.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(java.nio.file.Files.isRegularFile(archive), "the training run wrote the archive");
        lines = launchStandIn(jar, archive, true);
        assertTrue(lines.contains("[hearth] the engine maps the class archive " + archive), lines.toString());
        assertFalse(String.join("\n", lines).contains("Unable to use shared archive"),
                "the JVM mapped the fresh archive: " + lines);

        java.nio.file.Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().plusSeconds(60)));
        lines = launchStandIn(jar, archive, false);
        assertTrue(lines.stream().anyMatch(l -> l.contains("is older than the engine jar: not used")), lines.toString());

        // Newer than the jar yet made for another one (a jar replaced with its time kept back): the JVM's own check.
        java.nio.file.Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().plusSeconds(120)));
        lines = launchStandIn(jar, archive, true);
        assertTrue(String.join("\n", lines).contains("Unable to use shared archive"),
                "the JVM skipped the mismatched archive, saying so: " + lines);
    }

    /** Launches the stand-in from {@code jar}, checks whether it got {@code archive}, waits until it runs; its log. */
    private static List<String> launchStandIn(Path jar, Path archive, boolean archiveExpected) throws Exception {
        LocalProcessLauncher launcher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(), jar, null,
                "127.0.0.1", 1, Duration.ZERO, ChannelTls.LOOPBACK_ONLY, new EngineVariables(System.getenv(), List.of()));
        SessionLog log = new SessionLog(jar.toRealPath().resolveSibling("engine-" + System.nanoTime() + ".log"), 100);
        EngineProcess engine = launcher.launch(
                new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "local"), null, null, null), log);
        try {
            awaitLine(log, "to stderr");
            List<String> argv = List.of(ProcessHandle.of(engine.pid()).orElseThrow().info().arguments().orElseThrow());
            assertEquals(archiveExpected, argv.contains("-XX:SharedArchiveFile=" + archive),
                    argv.toString());
            return log.tail(100);
        } finally {
            stopAndCheckTreeGone(engine);
        }
    }

    @Test
    void aMissingEngineJarIsReportedByPath() {
        LocalProcessLauncher launcher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(),
                dir.resolve("nope.jar"), null, "127.0.0.1", 1, Duration.ZERO, ChannelTls.LOOPBACK_ONLY,
                new EngineVariables(System.getenv(), List.of()));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> launcher.launch(
                new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of(), null, null, null),
                new SessionLog(dir.resolve("engine.log"), 10)));
        assertTrue(e.getMessage().contains("nope.jar"), e.getMessage());
    }

    private static void stopAndCheckTreeGone(EngineProcess engine) throws Exception {
        ProcessHandle handle = ProcessHandle.of(engine.pid()).orElseThrow();
        awaitChild(handle);
        List<ProcessHandle> family = handle.descendants().toList();
        assertFalse(family.isEmpty(), "the stand-in starts a child");
        long t0 = System.nanoTime();
        engine.stop(Duration.ofMillis(200));
        assertFalse(engine.isAlive());
        for (ProcessHandle h : family) {
            assertFalse(h.isAlive(), "descendant " + h.pid() + " survived");
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
    }

    private static void awaitChild(ProcessHandle handle) throws InterruptedException {
        for (int i = 0; i < 100 && handle.children().findAny().isEmpty(); i++) {
            Thread.sleep(50);
        }
    }

    private static void awaitLine(SessionLog log, String line) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (log.tail(100).contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line '" + line + "' in " + log.tail(100));
    }
}
