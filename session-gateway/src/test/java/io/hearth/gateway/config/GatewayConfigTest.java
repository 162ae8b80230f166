package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void defaultsAreLoopbackLivyPortLocalMasterAndThreeMinuteStart() {
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of(), new Properties());
        assertEquals("127.0.0.1", c.get(Settings.HOST));
        assertEquals(8998, c.get(Settings.PORT));
        assertNull(c.get(Settings.ENGINE_JAR));
        assertEquals("python3", c.get(Settings.PYTHON));
        assertEquals("local[*]", c.get(Settings.SPARK_MASTER));
        assertEquals(Duration.ofSeconds(180), c.get(Settings.START_TIMEOUT));
        assertEquals(0, c.get(Settings.CHANNEL_PORT));
        assertEquals(java.nio.file.Path.of(System.getProperty("user.home"), ".hearth", "gateway-state"), c.get(Settings.STATE_DIR));
        assertEquals(Duration.ofSeconds(120), c.get(Settings.RECONNECT_GRACE));
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() {
        Properties file = new Properties();
        file.setProperty("hearth.gateway.port", "1001");
        file.setProperty("hearth.spark.master", "local[1]");
        file.setProperty("hearth.python", "/file/python");
        file.setProperty("hearth.engine.jar", "/file/engine.jar");
        Map<String, String> env = Map.of("HEARTH_GATEWAY_PORT", "1002", "HEARTH_SPARK_MASTER", "local[2]",
                "HEARTH_ENGINE_JAR", "/env/engine.jar");
        Map<String, String> cli = Map.of("hearth.gateway.port", "1003");

        GatewayConfig c = GatewayConfig.resolve(cli, env, file);

        assertEquals(1003, c.get(Settings.PORT));
        assertEquals("local[2]", c.get(Settings.SPARK_MASTER));
        assertEquals(Path.of("/env/engine.jar"), c.get(Settings.ENGINE_JAR));
        assertEquals("/file/python", c.get(Settings.PYTHON));
    }

    @Test
    void everyKeyHasAnEnvironmentVariableNamedAfterIt() {
        assertEquals("HEARTH_SESSION_START_TIMEOUT", Settings.START_TIMEOUT.env());
        assertEquals("HEARTH_ENGINE_JAR", Settings.ENGINE_JAR.env());
        assertEquals("HEARTH_CHANNEL_PORT", Settings.CHANNEL_PORT.env());
        GatewayConfig c = GatewayConfig.resolve(Map.of(),
                Map.of("HEARTH_SESSION_START_TIMEOUT", "2m", "HEARTH_CHANNEL_PORT", "4321"), new Properties());
        assertEquals(Duration.ofMinutes(2), c.get(Settings.START_TIMEOUT));
        assertEquals(4321, c.get(Settings.CHANNEL_PORT));
    }

    @Test
    void durationsTakeUnitsAndBareNumbersAreSeconds() {
        assertEquals(Duration.ofMillis(500), Durations.parse("k", "500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("k", "90"));
        assertEquals(Duration.ofMinutes(3), Durations.parse("k", "3m"));
        assertEquals(Duration.ofHours(1), Durations.parse("k", "1h"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("k", "soon"));
    }

    @Test
    void aMistypedKeyInTheFileIsRefusedRatherThanIgnored() {
        Properties file = new Properties();
        file.setProperty("hearth.engine.jarr", "/x.jar");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(Map.of(), Map.of(), file));
        assertTrue(e.getMessage().contains("hearth.engine.jarr"), e.getMessage());
    }

    @Test
    void sparkKeysInTheFileAreSessionDefaultsAndAnythingElseUnknownStopsTheStart() {
        Properties file = new Properties();
        file.setProperty("spark.executor.memory", " 2g ");
        file.setProperty("spark.jars.ivy", "/var/cache/hearth/ivy");
        assertEquals(Map.of("spark.executor.memory", "2g", "spark.jars.ivy", "/var/cache/hearth/ivy"),
                GatewayConfig.resolve(Map.of(), Map.of(), file).sparkDefaults());
        for (String[] bad : new String[][] {{"livy.file.local-dir-whitelist", "/x", "neither"},
                {"spark.master", "yarn", "hearth.spark.master"}, {"spark.submit.deployMode", "cluster",
                "hearth.spark.deploy-mode"}, {"spark.executor.cores", " ", "no value"}}) {
            Properties wrong = new Properties();
            wrong.setProperty(bad[0], bad[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatewayConfig.resolve(Map.of(), Map.of(), wrong));
            assertTrue(e.getMessage().contains(bad[0]) && e.getMessage().contains(bad[2].equals("neither")
                    ? "spark.*" : bad[2]), e.getMessage());
        }
    }

    @Test
    void aPortThatIsNotANumberIsRefusedWithItsKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(Map.of("hearth.gateway.port", "http"), Map.of(), new Properties()));
        assertTrue(e.getMessage().contains("hearth.gateway.port"), e.getMessage());
    }

    @Test
    void authenticationIsOffByDefaultAndEveryAuthKeyComesFromTheEnvironmentToo() {
        AuthSettings off = GatewayConfig.resolve(Map.of(), Map.of(), new Properties()).auth();
        assertEquals(AuthSettings.none(), off);

        Properties file = new Properties();
        file.setProperty("hearth.auth.methods", "basic");
        file.setProperty("hearth.auth.users-file", "/file/users");
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of(
                "HEARTH_AUTH_METHODS", "token, basic",
                "HEARTH_AUTH_TOKENS_FILE", "/etc/hearth/tokens",
                "HEARTH_AUTH_SUPERUSERS", "admin, ops,",
                "HEARTH_CSRF_ENABLED", "true",
                "HEARTH_GATEWAY_ALLOW_UNAUTHENTICATED", "TRUE"), file);
        AuthSettings auth = c.auth();
        assertEquals(Set.of(AuthSettings.Method.TOKEN, AuthSettings.Method.BASIC), auth.methods());
        assertEquals(Path.of("/etc/hearth/tokens"), auth.tokensFile());
        assertEquals(Path.of("/file/users"), auth.usersFile());
        assertEquals(Set.of("admin", "ops"), auth.superusers());
        assertTrue(auth.csrfEnabled());
        assertTrue(auth.allowUnauthenticated());
    }

    @Test
    void badAuthSettingsAreRefusedNamingTheKey() {
        for (Map.Entry<Map<String, String>, String> bad : Map.of(
                Map.of("hearth.auth.methods", "kerberos"), "hearth.auth.methods",
                Map.of("hearth.auth.methods", "none,token", "hearth.auth.tokens-file", "/t"), "hearth.auth.methods",
                Map.of("hearth.auth.methods", "token"), "hearth.auth.tokens-file",
                Map.of("hearth.auth.methods", "basic"), "hearth.auth.users-file",
                Map.of("hearth.csrf.enabled", "yes"), "hearth.csrf.enabled",
                Map.of("hearth.gateway.allow-unauthenticated", "1"), "hearth.gateway.allow-unauthenticated")
                .entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatewayConfig.resolve(bad.getKey(), Map.of(), new Properties()), bad.getKey().toString());
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
        }
    }

    @Test
    void withoutAuthenticationTheGatewayRefusesANonLoopbackHost() {
        GatewayConfig c = GatewayConfig.resolve(Map.of("hearth.gateway.host", "0.0.0.0", "hearth.gateway.port", "0"),
                Map.of(), new Properties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gateway.start(c));
        assertTrue(e.getMessage().contains("without authentication"), e.getMessage());
    }

    @Test
    void lifecycleKeysDefaultToAutoLauncherClientModeOneHourIdleAndNoMasterOverride() {
        GatewayConfig c = GatewayConfig.resolve(Map.of(), Map.of(), new Properties());
        assertEquals("auto", c.get(Settings.LAUNCHER));
        assertEquals("client", c.get(Settings.DEPLOY_MODE));
        assertEquals(Duration.ofHours(1), c.get(Settings.IDLE_TIMEOUT));
        assertEquals(20, c.get(Settings.MAX_SESSIONS));
        assertEquals(4, c.get(Settings.MAX_STARTING));
        assertEquals(false, c.get(Settings.ALLOW_MASTER_OVERRIDE));
        assertNull(c.get(Settings.SPARK_HOME));
        assertEquals(Path.of("/opt/spark"), GatewayConfig.resolve(Map.of(), Map.of("SPARK_HOME", "/opt/spark"),
                new Properties()).get(Settings.SPARK_HOME), "SPARK_HOME is the fallback for hearth.spark.home");
        assertEquals(Duration.ofDays(2), Durations.parse("k", "2d"));
    }

    @Test
    void badLifecycleValuesAreRefusedWithTheirKey() {
        Map<String, String> bad = Map.of("hearth.launcher", "yarn-please", "hearth.spark.deploy-mode", "cluster",
                "hearth.session.max", "0", "hearth.session.allow-master-override", "yes",
                "hearth.session.idle-timeout", "forever");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> GatewayConfig.resolve(Map.of(e.getKey(), e.getValue()), Map.of(), new Properties()));
            assertTrue(ex.getMessage().contains(e.getKey()), ex.getMessage());
        }
        GatewayConfig yarnCluster = GatewayConfig.resolve(Map.of("hearth.spark.master", "yarn",
                "hearth.spark.deploy-mode", "cluster"), Map.of(), new Properties());
        assertEquals("cluster", yarnCluster.get(Settings.DEPLOY_MODE));
    }

    @Test
    void resourceLimitsDefaultTo64g64CoresAnd1000ExecutorsAndCanBeSet() {
        GatewayConfig d = GatewayConfig.resolve(Map.of(), Map.of(), new Properties());
        assertEquals(List.of(64L * 1024, 64, 1000),
                List.of(d.get(Settings.MAX_MEMORY), d.get(Settings.MAX_CORES), d.get(Settings.MAX_EXECUTORS)));
        Properties file = new Properties();
        file.setProperty("hearth.session.max-memory", "8g");
        GatewayConfig c = GatewayConfig.resolve(Map.of("hearth.session.max-cores", "4"),
                Map.of("HEARTH_SESSION_MAX_EXECUTORS", "10"), file);
        assertEquals(List.of(8L * 1024, 4, 10),
                List.of(c.get(Settings.MAX_MEMORY), c.get(Settings.MAX_CORES), c.get(Settings.MAX_EXECUTORS)));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.resolve(Map.of("hearth.session.max-memory", "lots"), Map.of(), new Properties()));
        assertTrue(bad.getMessage().contains("hearth.session.max-memory"), bad.getMessage());
    }

    @Test
    void aStatementMayReturn64MiBByDefaultAndTheLimitIsASizeWithBinaryUnits() {
        assertEquals(64L * 1024 * 1024,
                GatewayConfig.resolve(Map.of(), Map.of(), new Properties()).get(Settings.MAX_STATEMENT_OUTPUT));
        assertEquals(128L * 1024 * 1024, GatewayConfig.resolve(Map.of(),
                Map.of("HEARTH_STATEMENT_MAX_OUTPUT", "128m"), new Properties()).get(Settings.MAX_STATEMENT_OUTPUT));
        assertEquals(512 * 1024, GatewayConfig.resolve(Map.of("hearth.statement.max-output", "512k"), Map.of(),
                new Properties()).get(Settings.MAX_STATEMENT_OUTPUT));
        assertEquals(1L << 30, GatewayConfig.resolve(Map.of("hearth.statement.max-output", "1g"), Map.of(),
                new Properties()).get(Settings.MAX_STATEMENT_OUTPUT));
        for (String bad : List.of("lots", "2g", "100", "-1m", "99999999999999999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.resolve(
                    Map.of("hearth.statement.max-output", bad), Map.of(), new Properties()), bad);
            assertTrue(e.getMessage().startsWith("hearth.statement.max-output must be"), e.getMessage());
        }
    }
}
