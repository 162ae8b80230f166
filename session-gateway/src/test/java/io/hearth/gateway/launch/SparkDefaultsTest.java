package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layers of a session's Spark configuration, lowest first: derived (Ivy cache, driver addresses), the
 * distribution's spark-defaults.conf, the config file's spark.* keys, the gateway's master, the session's own.
 */
class SparkDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void eachLayerOverridesTheOneBelowIt() throws Exception {
        Files.writeString(dir.resolve("spark-defaults.conf"), """
                # the distribution's defaults, in Spark's own whitespace format
                spark.test.file          file
                spark.test.file-gw       file
                spark.test.all           file
                spark.driver.bindAddress 10.1.1.1
                spark.master             yarn
                not.spark                ignored
                """);
        SparkDefaults defaults = SparkDefaults.load("local[2]", "client", "127.0.0.1", dir.resolve("ivy"), dir,
                Map.of("spark.test.file-gw", "gateway", "spark.test.all", "gateway", "spark.test.gw", "gateway"), false);
        Map<String, String> conf = defaults.apply(Map.of("spark.test.all", "session"));
        assertEquals("file", conf.get("spark.test.file"));
        assertEquals("gateway", conf.get("spark.test.file-gw"));
        assertEquals("gateway", conf.get("spark.test.gw"));
        assertEquals("session", conf.get("spark.test.all"));
        assertEquals("local[2]", conf.get("spark.master"), "hearth.spark.master, not spark-defaults.conf's");
        assertEquals("10.1.1.1", conf.get("spark.driver.bindAddress"), "the operator's file over the derived");
        assertEquals("127.0.0.1", conf.get("spark.driver.host"), "derived from the gateway's address");
        assertEquals(dir.resolve("ivy").toString(), conf.get("spark.jars.ivy"));
        assertFalse(conf.containsKey("not.spark"));
        assertEquals("/ops/ivy", SparkDefaults.load("local[2]", "client", "127.0.0.1", dir.resolve("ivy"), dir,
                Map.of("spark.jars.ivy", "/ops/ivy"), false).apply(Map.of()).get("spark.jars.ivy"), "spark.jars.ivy honoured");
    }

    @Test
    void onAHostSharedByUsersALocalEnginesUiIsOffUnlessALayerTurnsItOn() throws Exception {
        SparkDefaults shared = SparkDefaults.load("local[2]", "client", "127.0.0.1", null, dir.resolve("none"),
                Map.of(), true);
        assertEquals("false", shared.apply(Map.of()).get("spark.ui.enabled"));
        assertEquals("true", shared.apply(Map.of("spark.ui.enabled", "true")).get("spark.ui.enabled"),
                "the session's own choice");
        assertFalse(shared.apply(Map.of("spark.master", "yarn")).containsKey("spark.ui.enabled"),
                "a YARN driver's UI is reached through the ResourceManager's proxy");
        assertFalse(SparkDefaults.load("local[2]", "client", "127.0.0.1", null, dir.resolve("none"), Map.of(), false)
                .apply(Map.of()).containsKey("spark.ui.enabled"), "one user's gateway keeps Spark's UI");
    }

    @Test
    void noDefaultsFileIsNoDefaultsAndAnUnreadableOneStopsTheStart() throws Exception {
        assertEquals(Map.of(), SparkDefaults.load("yarn", "client", "127.0.0.1", dir, dir.resolve("none"), Map.of(), false)
                .defaultsFile());
        Files.writeString(dir.resolve("spark-defaults.conf"), "spark.x \\u12");
        IOException e = assertThrows(IOException.class,
                () -> SparkDefaults.load("yarn", "client", "127.0.0.1", dir, dir, Map.of(), false));
        assertTrue(e.getMessage().contains("spark-defaults.conf"), e.getMessage());
    }

    @Test
    void driversListenWhereTheGatewayDoesWhenTheirExecutorsAreOnThisHost() {
        Map<String, String> loopback = Map.of("spark.driver.bindAddress", "127.0.0.1", "spark.driver.host",
                "127.0.0.1");
        assertEquals(loopback, DriverAddresses.derive("127.0.0.1", "local[*]", "client"));
        assertEquals(loopback, DriverAddresses.derive("127.0.0.1", "local-cluster[1,1,1024]", "client"));
        assertEquals(loopback, DriverAddresses.derive("127.0.0.1", "spark://127.0.0.1:7077,localhost:7078", "client"));
        assertEquals(Map.of(), DriverAddresses.derive("127.0.0.1", "spark://10.0.0.9:7077", "client"),
                "executors elsewhere cannot reach a loopback driver: Spark's (or the operator's) choice");
        assertEquals(Map.of(), DriverAddresses.derive("127.0.0.1", "yarn", "client"));
        assertEquals(Map.of("spark.driver.bindAddress", "10.0.0.5", "spark.driver.host", "10.0.0.5"),
                DriverAddresses.derive("10.0.0.5", "yarn", "client"), "a gateway on a routable address");
        assertEquals(Map.of(), DriverAddresses.derive("10.0.0.5", "yarn", "cluster"), "the driver is in the cluster");
        assertEquals("127.0.0.1", DriverAddresses.localIp(loopback, "client", Map.of(), "x").orElseThrow());
        assertTrue(DriverAddresses.localIp(loopback, "client", Map.of("SPARK_LOCAL_IP", "10.0.0.5"), "x").isEmpty(),
                "the operator's own SPARK_LOCAL_IP wins");
    }
}
