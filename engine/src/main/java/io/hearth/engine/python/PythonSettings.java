package io.hearth.engine.python;

import java.time.Duration;
import java.util.Map;

/**
 * How to run the Python driver: the interpreter, extra environment for it, how long it may take to start, and how
 * long a cancelled statement may ignore interrupts before its process is killed.
 */
public record PythonSettings(String executable, Map<String, String> environment, Duration startTimeout,
                             Duration cancelGrace) {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);

    public PythonSettings {
        environment = Map.copyOf(environment);
    }

    public static PythonSettings of(String executable) {
        return new PythonSettings(executable, Map.of(), DEFAULT_START_TIMEOUT, DEFAULT_CANCEL_GRACE);
    }
}
