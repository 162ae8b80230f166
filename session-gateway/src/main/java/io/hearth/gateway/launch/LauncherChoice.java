package io.hearth.gateway.launch;

import io.hearth.protocol.EngineLaunch;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher {@code hearth.launcher} asks for: always local, always spark-submit, or ({@code auto}) decided per
 * session: a {@code local*} master runs in a child JVM, unless the session adds code or files the Spark way (see
 * {@link LocalProcessLauncher#SPARK_SUBMIT_KEYS}), which only spark-submit honours; any other master goes through
 * spark-submit.
 */
public final class LauncherChoice implements Launcher {

    private final String mode;
    private final Launcher local;
    private final Launcher sparkSubmit;

    /** @param mode {@code auto}, {@code local} or {@code spark-submit} */
    public LauncherChoice(String mode, Launcher local, Launcher sparkSubmit) {
        this.mode = mode;
        this.local = local;
        this.sparkSubmit = sparkSubmit;
    }

    @Override
    public EngineProcess launch(LaunchSpec spec, SessionLog log) throws IOException {
        return choose(spec.sparkConf()).launch(spec, log);
    }

    /** spark-submit's launcher knows its cluster-mode processes by their command line; any other is a plain one. */
    @Override
    public Optional<EngineProcess> adopt(long pid, long startedAt, SessionLog log) {
        return sparkSubmit.adopt(pid, startedAt, log);
    }

    @Override
    public void checkSupported(Map<String, String> sparkConf) {
        choose(sparkConf).checkSupported(sparkConf);
    }

    Launcher choose(Map<String, String> sparkConf) {
        String master = sparkConf.getOrDefault("spark.master", EngineLaunch.DEFAULT_MASTER);
        return switch (mode) {
            case "local" -> local;
            case "spark-submit" -> sparkSubmit;
            default -> master.startsWith("local") && LocalProcessLauncher.unsupported(sparkConf).isEmpty()
                    ? local : sparkSubmit;
        };
    }
}
