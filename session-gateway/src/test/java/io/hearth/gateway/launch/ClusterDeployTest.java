package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelFingerprint;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.EngineEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a cluster-mode engine gets from spark-submit: connect-back details as the driver's environment, the secret
 * only as a Spark setting (never as an environment value, which YARN and Kubernetes show), its libraries shipped, and
 * spark-submit held to the application's life. The YARN path runs for real in YarnClusterModeTest.
 */
class ClusterDeployTest {

    private static final ChannelFingerprint PIN = new ChannelFingerprint("AB".repeat(32));

    private final Map<String, String> env = new EngineEnvironment("gw.example", 41000, "7", "s3cret-value",
            "/opt/py/bin/python", Duration.ofSeconds(90), null, new ChannelTls(ChannelEncryption.OFF_HOST, PIN))
            .variables();
    private final List<Path> libs = List.of(Path.of("/opt/hearth/lib/hearth-engine-protocol-0.1.0.jar"),
            Path.of("/opt/hearth/lib/protobuf-java-4.jar"));
    private static final Path ARCHIVE = Path.of("/tmp/hearth-engine-libs-1/libs.zip");

    @Test
    void onYarnTheSecretIsASparkSettingAndTheRestTheApplicationMastersEnvironment() {
        Map<String, String> conf = ClusterDeploy.settings("yarn", Map.of("spark.app.name", "x"), env, "s3cret-value", libs,
                ARCHIVE);
        assertEquals("s3cret-value", conf.get(EngineEnvironment.SECRET_PROPERTY));
        conf.forEach((k, v) -> {
            if (!k.equals(EngineEnvironment.SECRET_PROPERTY)) {
                assertFalse(v.contains("s3cret-value"), k + " carries the secret");
            }
        });
        assertEquals("gw.example", conf.get("spark.yarn.appMasterEnv." + EngineEnvironment.GATEWAY_HOST_ENV));
        assertEquals("41000", conf.get("spark.yarn.appMasterEnv." + EngineEnvironment.GATEWAY_PORT_ENV));
        assertEquals("/opt/py/bin/python", conf.get("spark.yarn.appMasterEnv." + EngineEnvironment.PYTHON_ENV));
        // The driver dials the gateway over the network: TLS, pinning the gateway's certificate.
        assertEquals("off-host", conf.get("spark.yarn.appMasterEnv." + EngineEnvironment.CHANNEL_ENCRYPTION_ENV));
        assertEquals(PIN.value(), conf.get("spark.yarn.appMasterEnv." + EngineEnvironment.CHANNEL_FINGERPRINT_ENV));
        assertEquals("x", conf.get("spark.app.name"));
    }

    @Test
    void onYarnTheLibrariesAreLocalizedAsOneArchiveOnTheClassPathsAndOneAttemptIsMade() {
        Map<String, String> conf = ClusterDeploy.settings("yarn", Map.of("spark.yarn.dist.archives",
                "hdfs:///u/env.zip#env", "spark.driver.extraClassPath", "/site/extra.jar",
                "spark.executor.extraClassPath", "/site/udf.jar", "spark.yarn.maxAppAttempts", "3",
                "spark.yarn.submit.waitAppCompletion", "false"), env, "s3cret-value", libs, ARCHIVE);
        assertEquals("hdfs:///u/env.zip#env,file:///tmp/hearth-engine-libs-1/libs.zip#hearth-libs",
                conf.get("spark.yarn.dist.archives"));
        assertEquals(null, conf.get("spark.yarn.dist.jars"), "no jar travels on its own");
        assertEquals("__app__.jar:{{PWD}}/hearth-libs/*:/site/extra.jar", conf.get("spark.driver.extraClassPath"));
        assertEquals("{{PWD}}/hearth-libs/*:/site/udf.jar", conf.get("spark.executor.extraClassPath"));
        assertEquals("1", conf.get("spark.yarn.maxAppAttempts"), "a second attempt would be an engine without state");
        assertEquals("true", conf.get("spark.yarn.submit.waitAppCompletion"), "spark-submit's exit is the engine's");
    }

    @Test
    void onKubernetesTheSameThroughTheDriverPodsSettings() {
        Map<String, String> conf = ClusterDeploy.settings("k8s://https://kube:6443", Map.of(), env, "s3cret-value", libs,
                null);
        assertEquals("s3cret-value", conf.get(EngineEnvironment.SECRET_PROPERTY));
        conf.forEach((k, v) -> assertFalse(!k.equals(EngineEnvironment.SECRET_PROPERTY) && v.contains("s3cret-value"),
                k + " carries the secret"));
        assertEquals("gw.example", conf.get("spark.kubernetes.driverEnv." + EngineEnvironment.GATEWAY_HOST_ENV));
        assertEquals(PIN.value(), conf.get("spark.kubernetes.driverEnv." + EngineEnvironment.CHANNEL_FINGERPRINT_ENV));
        assertEquals("file:///opt/hearth/lib/hearth-engine-protocol-0.1.0.jar,file:///opt/hearth/lib/protobuf-java-4.jar",
                conf.get("spark.jars"));
        assertEquals("true", conf.get("spark.kubernetes.submission.waitAppCompletion"));
        assertFalse(conf.keySet().stream().anyMatch(k -> k.startsWith("spark.yarn.")), conf.toString());
    }

    @Test
    void onAStandaloneClusterTheSecretAndVariablesGoInSparkSubmitsEnvironmentAndNoSettingCarriesThem() {
        Map<String, String> conf = ClusterDeploy.standalone(Map.of("spark.driver.supervise", "true",
                "spark.executor.extraClassPath", "/site/udf.jar"), Path.of("/opt/hearth/hearth-engine.jar"), libs);
        conf.forEach((k, v) -> assertFalse(v.contains("s3cret-value") || v.contains("gw.example"), k));
        assertEquals("/opt/hearth/hearth-engine.jar:/opt/hearth/lib/hearth-engine-protocol-0.1.0.jar:"
                + "/opt/hearth/lib/protobuf-java-4.jar", conf.get("spark.driver.extraClassPath"));
        assertEquals("/opt/hearth/lib/hearth-engine-protocol-0.1.0.jar:/opt/hearth/lib/protobuf-java-4.jar:"
                + "/site/udf.jar", conf.get("spark.executor.extraClassPath"));
        assertEquals("true", conf.get("spark.standalone.submit.waitAppCompletion"), "spark-submit's exit is the engine's");
        assertEquals("false", conf.get("spark.driver.supervise"), "a restarted driver would be an engine without state");
        assertEquals("false", conf.get("spark.master.rest.enabled"), "the RPC client, which carries the environment");

        Map<String, String> submitEnv = ClusterDeploy.standaloneEnvironment(Map.of("PATH", "/bin",
                "SPARK_LOCAL_IP", "10.0.0.5", "SPARK_LOCAL_HOSTNAME", "gw"), env, "s3cret-value");
        assertEquals("s3cret-value", submitEnv.get(EngineEnvironment.SECRET_ENV));
        assertEquals("gw.example", submitEnv.get(EngineEnvironment.GATEWAY_HOST_ENV));
        assertEquals("/bin", submitEnv.get("PATH"));
        assertFalse(submitEnv.containsKey("SPARK_LOCAL_IP") || submitEnv.containsKey("SPARK_LOCAL_HOSTNAME"),
                "the gateway host's addresses are not the driver's");
    }
}
