package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.channel.SessionSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hearth.launcher}: auto picks by each session's master; local and spark-submit are taken as asked. */
class LauncherChoiceTest {

    private final LocalProcessLauncher local = new LocalProcessLauncher(LocalProcessLauncher.currentJava(),
            Path.of("/nowhere/hearth-engine.jar"), null, "127.0.0.1", 1, Duration.ZERO);
    private final SparkSubmitLauncher sparkSubmit = new SparkSubmitLauncher(Optional.empty(),
            Path.of("/nowhere/hearth-engine.jar"), null, "127.0.0.1", "127.0.0.1", 1, "client",
            Duration.ZERO, HadoopClient.NONE);

    @Test
    void autoRunsLocalMastersInAChildJvmAndClusterMastersThroughSparkSubmit() {
        LauncherChoice auto = new LauncherChoice("auto", local, sparkSubmit);
        assertSame(local, auto.choose("local[*]"));
        assertSame(local, auto.choose("local-cluster[2,1,1024]"));
        assertSame(sparkSubmit, auto.choose("spark://127.0.0.1:7077"));
        assertSame(sparkSubmit, auto.choose("yarn"));
        assertSame(sparkSubmit, auto.choose("k8s://https://10.0.0.1:6443"));
        assertSame(local, new LauncherChoice("local", local, sparkSubmit).choose("yarn"));
        assertSame(sparkSubmit, new LauncherChoice("spark-submit", local, sparkSubmit).choose("local[2]"));
    }

    @Test
    void sparkSubmitWithoutADistributionSaysWhichSettingToFix(@TempDir Path dir) {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> sparkSubmit.launch(
                new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "yarn"), null, null),
                new SessionLog(dir.resolve("a.log"), 10)));
        assertTrue(e.getMessage().contains("hearth.spark.home"), e.getMessage());
        SparkSubmitLauncher noSubmit = new SparkSubmitLauncher(Optional.of(dir), Path.of("/x.jar"), null, "127.0.0.1",
                "127.0.0.1", 1, "client", Duration.ZERO, HadoopClient.NONE);
        Exception missing = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> noSubmit.launch(new Launcher.LaunchSpec(1, new SessionSecret("x"), Map.of("spark.master", "yarn"),
                        null, null), new SessionLog(dir.resolve("b.log"), 10)));
        assertTrue(missing.getMessage().contains("bin/spark-submit") && missing.getMessage().contains(dir.toString()),
                missing.getMessage());
    }
}
