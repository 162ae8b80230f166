package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.engine.start.EngineStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check that the session's Python carries pyspark at the engine's Spark version. */
class PysparkVersionCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String VENV_PYTHON = System.getProperty("hearth.python");

    @TempDir
    Path temp;

    @Test
    void venvPythonHasThePysparkOfTheEnginesSpark() throws Exception {
        String spark = PysparkVersionCheck.jvmSparkVersion();
        assertEquals(spark, new PysparkVersionCheck(VENV_PYTHON, Map.of(), TIMEOUT).check(spark));
    }

    @Test
    void differentPysparkVersionFailsNamingThePythonAndBothVersions() throws Exception {
        // A real Python finding a real (if tiny) pyspark package first on its path.
        Path pkg = Files.createDirectories(temp.resolve("pyspark"));
        Files.writeString(pkg.resolve("__init__.py"), "__version__ = \"0.0.1\"\n");
        PysparkVersionCheck check = new PysparkVersionCheck(VENV_PYTHON, Map.of("PYTHONPATH", temp.toString()), TIMEOUT);

        EngineStartException e = assertThrows(EngineStartException.class, () -> check.check("4.2.0"));
        assertEquals("Python at " + VENV_PYTHON + " has pyspark 0.0.1 but the engine runs Spark 4.2.0; "
                + "install pyspark==4.2.0 in that Python", e.getMessage());
    }

    @Test
    void pythonWithoutPysparkFailsSayingSo() throws Exception {
        Path system = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(system), "needs a system python3");
        PysparkVersionCheck check = new PysparkVersionCheck(system.toString(), Map.of("PYTHONPATH", ""), TIMEOUT);
        EngineStartException e;
        try {
            check.check("4.2.0");
            assumeTrue(false, "the system python3 has pyspark");
            return;
        } catch (EngineStartException expected) {
            e = expected;
        }
        assertTrue(e.getMessage().startsWith("Python at /usr/bin/python3 has no pyspark but the engine runs Spark 4.2.0"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("install pyspark==4.2.0 in that Python"), e.getMessage());
    }

    @Test
    void missingPythonFailsNamingThePath() {
        String missing = temp.resolve("no-such-python").toString();
        EngineStartException e = assertThrows(EngineStartException.class,
                () -> new PysparkVersionCheck(missing, Map.of(), TIMEOUT).check("4.2.0"));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(e.getMessage().contains("pyspark==4.2.0"), e.getMessage());
    }
}
