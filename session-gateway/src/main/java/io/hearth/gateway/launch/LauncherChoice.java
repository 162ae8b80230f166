package io.hearth.gateway.launch;

import io.hearth.protocol.EngineLaunch;
import java.io.IOException;
import java.util.Optional;

/**
 * The launcher {@code hearth.launcher} asks for: always local, always spark-submit, or ({@code auto}) decided per
 * session by its master, so that a {@code local*} master runs in a child JVM and any other through spark-submit.
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
        return choose(spec.sparkConf().getOrDefault("spark.master", EngineLaunch.DEFAULT_MASTER)).launch(spec, log);
    }

    /** spark-submit's launcher knows its cluster-mode processes by their command line; any other is a plain one. */
    @Override
    public Optional<EngineProcess> adopt(long pid, long startedAt, SessionLog log) {
        return sparkSubmit.adopt(pid, startedAt, log);
    }

    Launcher choose(String master) {
        return switch (mode) {
            case "local" -> local;
            case "spark-submit" -> sparkSubmit;
            default -> master.startsWith("local") ? local : sparkSubmit;
        };
    }
}
