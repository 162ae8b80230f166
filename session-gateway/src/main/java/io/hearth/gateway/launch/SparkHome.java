package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the Spark distribution spark-submit runs from: {@code hearth.spark.home} (or {@code SPARK_HOME}) when set, else
 * the {@code pyspark} package of the session Python, which pip installs as a complete distribution (bin/, jars/).
 */
public final class SparkHome {

    /** Finding a package does not import it; even a slow disk answers well within this. */
    private static final long PYTHON_TIMEOUT_SECONDS = 30;

    private SparkHome() {}

    /** The configured or found distribution; empty when there is none (spark-submit launches then say so). */
    public static Optional<Path> resolve(Path configured, String python) {
        if (configured != null) {
            return Optional.of(configured);
        }
        if (python == null) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(python, "-c",
                    "import importlib.util as u; s = u.find_spec('pyspark'); print(s.submodule_search_locations[0])")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            Path home = Path.of(out);
            return Files.isRegularFile(home.resolve("bin/spark-submit")) ? Optional.of(home) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Checks that {@code home} can run spark-submit, naming the setting to fix when it cannot. */
    static Path require(Optional<Path> home) throws IOException {
        if (home.isEmpty()) {
            throw new IOException("no Spark distribution for spark-submit: set hearth.spark.home (or SPARK_HOME), or"
                    + " give hearth.python a Python with pyspark installed");
        }
        if (!Files.isRegularFile(home.get().resolve("bin/spark-submit"))) {
            throw new IOException("no bin/spark-submit in " + home.get() + " (hearth.spark.home)");
        }
        return home.get();
    }
}
