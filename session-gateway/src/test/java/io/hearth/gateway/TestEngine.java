package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Where tests find the real engine and Python (set by the surefire configuration), and how long an engine may take. */
final class TestEngine {

    /** A Spark JVM starts in 10-20 s on a 2-core machine; generous, because CI machines are slower still. */
    static final Duration START = Duration.ofSeconds(150);

    private TestEngine() {}

    static Path jar() {
        String jar = System.getProperty("hearth.engine.jar");
        assertNotNull(jar, "system property hearth.engine.jar is not set (the pom's surefire configuration sets it)");
        Path p = Path.of(jar);
        assertTrue(Files.isRegularFile(p), "the engine jar " + p + " does not exist: build the engine module first");
        return p;
    }

    static String python() {
        String python = System.getProperty("hearth.python");
        assertNotNull(python, "system property hearth.python is not set (the pom's surefire configuration sets it)");
        return python;
    }

    /** A gateway configuration for tests: real engine, any free ports, a state directory of its own. */
    static GatewayConfig config() {
        return settings().build();
    }

    /** {@link #config()}'s settings, for a test that changes some. */
    static TestConfig settings() {
        return TestConfig.of(jar(), python()).with(Settings.STATE_DIR, stateDir());
    }

    /**
     * The environment of a gateway process (see {@link GatewayProcess}) with the real engine and Python and the given
     * state directory; mutable, for the test's own settings.
     */
    static java.util.Map<String, String> gatewayEnv(Path stateDir) {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("HEARTH_ENGINE_JAR", jar().toString());
        env.put("HEARTH_PYTHON", python());
        env.put("HEARTH_STATE_DIR", stateDir.toString());
        return env;
    }

    /** A state directory of its own: a test never sees another's sessions, nor the user's ~/.hearth. */
    static Path stateDir() {
        try {
            return Files.createTempDirectory("hearth-test-state-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
