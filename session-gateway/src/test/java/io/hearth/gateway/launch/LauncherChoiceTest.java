package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.channel.SessionSecret;
import io.hearth.protocol.ChannelTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth.launcher}: auto picks by each session's master and by whether it adds code the Spark way; local and
 * spark-submit are taken as asked, and local refuses what it cannot honour.
 */
class LauncherChoiceTest {

    private final LocalProcessLauncher local = new LocalProcessLauncher(LocalProcessLauncher.currentJava(),
            Path.of("/nowhere/hearth-engine.jar"), null, "127.0.0.1", 1, Duration.ZERO, ChannelTls.LOOPBACK_ONLY,
            new EngineVariables(Map.of(), List.of()));
    private final SparkSubmitLauncher sparkSubmit = new SparkSubmitLauncher(Optional.empty(),
            Path.of("/nowhere/hearth-engine.jar"), null, "127.0.0.1", "127.0.0.1", 1, "client",
            Duration.ZERO, ChannelTls.LOOPBACK_ONLY, HadoopClient.NONE, null, new EngineVariables(Map.of(), List.of()),
            EngineLibraryArchive.inTemp());

    @Test
    void autoRunsLocalMastersInAChildJvmAndClusterMastersThroughSparkSubmit() {
        LauncherChoice auto = new LauncherChoice("auto", local, sparkSubmit);
        assertSame(local, auto.choose(master("local[*]")));
        assertSame(local, auto.choose(master("local-cluster[2,1,1024]")));
        assertSame(sparkSubmit, auto.choose(master("spark://127.0.0.1:7077")));
        assertSame(sparkSubmit, auto.choose(master("yarn")));
        assertSame(sparkSubmit, auto.choose(master("k8s://https://10.0.0.1:6443")));
        assertSame(local, new LauncherChoice("local", local, sparkSubmit).choose(master("yarn")));
        assertSame(sparkSubmit, new LauncherChoice("spark-submit", local, sparkSubmit).choose(master("local[2]")));
    }

    @Test
    void autoSendsALocalSessionThatAddsCodeTheSparkWayThroughSparkSubmit() {
        LauncherChoice auto = new LauncherChoice("auto", local, sparkSubmit);
        for (String key : LocalProcessLauncher.SPARK_SUBMIT_KEYS) {
            assertSame(sparkSubmit, auto.choose(Map.of("spark.master", "local[2]", key, "/x")), key);
        }
        assertSame(local, auto.choose(Map.of("spark.master", "local[2]", "spark.jars.ivy", "/x", "spark.jars", "")),
                "an empty list adds nothing");
    }

    @Test
    void theLocalLauncherRefusesWhatOnlySparkSubmitHonoursSayingWhy() {
        LauncherChoice onlyLocal = new LauncherChoice("local", local, sparkSubmit);
        io.hearth.gateway.http.ApiException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.hearth.gateway.http.ApiException.class, () -> onlyLocal.checkSupported(Map.of("spark.master",
                        "local[2]", "spark.jars.packages", "a:b:1", "spark.submit.pyFiles", "/x.py")));
        org.junit.jupiter.api.Assertions.assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("spark.jars.packages, spark.submit.pyFiles")
                && e.getMessage().contains("hearth.launcher=local") && e.getMessage().contains("spark-submit"),
                e.getMessage());
        onlyLocal.checkSupported(master("local[2]"));
        new LauncherChoice("auto", local, sparkSubmit).checkSupported(Map.of("spark.master", "local[2]",
                "spark.jars.packages", "a:b:1"));
    }

    private static Map<String, String> master(String master) {
        return Map.of("spark.master", master);
    }

    @Test
    void sparkSubmitWithoutADistributionSaysWhichSettingToFix(@TempDir Path dir) {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> sparkSubmit.launch(
                new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "yarn"), null, null, null),
                new SessionLog(dir.resolve("a.log"), 10)));
        assertTrue(e.getMessage().contains("hearth.spark.home"), e.getMessage());
        SparkSubmitLauncher noSubmit = new SparkSubmitLauncher(Optional.of(dir), Path.of("/x.jar"), null, "127.0.0.1",
                "127.0.0.1", 1, "client", Duration.ZERO, ChannelTls.LOOPBACK_ONLY, HadoopClient.NONE, null,
                new EngineVariables(Map.of(), List.of()), EngineLibraryArchive.inTemp());
        Exception missing = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> noSubmit.launch(new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "yarn"),
                        null, null, null), new SessionLog(dir.resolve("b.log"), 10)));
        assertTrue(missing.getMessage().contains("bin/spark-submit") && missing.getMessage().contains(dir.toString()),
                missing.getMessage());
    }
}
