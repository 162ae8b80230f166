package io.hearth.engine.python;

import io.hearth.engine.start.EngineStartException;
import io.hearth.protocol.EngineEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks before Spark starts that the session's Python has pyspark at exactly the engine's Spark version: pyspark
 * drives the JVM through private APIs, so any other version fails later in confusing ways.
 */
public final class PysparkVersionCheck {

    private static final String PROBE = "import pyspark; print(pyspark.__version__)";

    private final String python;
    private final Map<String, String> environment;
    private final Duration timeout;

    /** @param environment added to (and overriding) the engine's own environment for the probe */
    public PysparkVersionCheck(String python, Map<String, String> environment, Duration timeout) {
        this.python = python;
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /** The Spark version of the jars this JVM runs. */
    public static String jvmSparkVersion() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    /** @return the pyspark version found, equal to {@code sparkVersion} */
    public String check(String sparkVersion) throws EngineStartException {
        ProcessBuilder builder = new ProcessBuilder(python, "-c", PROBE).redirectErrorStream(true);
        builder.environment().putAll(environment);
        EngineEnvironment.withoutSecret(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new EngineStartException("Cannot run the session's Python at " + python + " (" + e.getMessage()
                    + "); set HEARTH_PYTHON to a Python with pyspark==" + sparkVersion + " installed");
        }
        String output;
        try {
            process.getOutputStream().close();
            // The probe prints one short line, far below a pipe's buffer, so waiting before reading cannot block it.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EngineStartException("Python at " + python + " did not answer within "
                        + timeout.toSeconds() + " s when asked for its pyspark version");
            }
            output = readAll(process.getInputStream()).strip();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new EngineStartException("Could not read from Python at " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineStartException("interrupted while checking the pyspark version of " + python);
        }
        if (process.exitValue() != 0) {
            String last = lastLine(output);
            if (output.contains("No module named 'pyspark'") || output.contains("No module named pyspark")) {
                throw new EngineStartException("Python at " + python + " has no pyspark but the engine runs Spark "
                        + sparkVersion + "; install pyspark==" + sparkVersion + " in that Python");
            }
            throw new EngineStartException("Python at " + python + " cannot import pyspark (" + last
                    + "); the engine runs Spark " + sparkVersion + ", so install pyspark==" + sparkVersion
                    + " in that Python");
        }
        String found = lastLine(output);
        if (!found.equals(sparkVersion)) {
            throw new EngineStartException("Python at " + python + " has pyspark " + found
                    + " but the engine runs Spark " + sparkVersion + "; install pyspark==" + sparkVersion
                    + " in that Python");
        }
        return found;
    }

    /** Reads the probe's output, keeping at most 64 KiB: a Python that floods us is broken anyway. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (bytes.size() < 64 * 1024) {
                bytes.write(buffer, 0, n);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }
}
