package io.hearth.gateway.launch;

import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.EngineLaunch;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.launcher.SparkLauncher;

/**
 * Starts engines with Spark's own {@code spark-submit} (through the {@code spark-launcher} artifact, so the gateway
 * needs no Spark), for masters a child JVM cannot serve: {@code spark://}, {@code yarn}, {@code k8s://}; and batches, for
 * every master (a batch is the user's application, submitted as a plain Spark job).
 *
 * <p>The Spark settings travel in a private properties file ({@code --properties-file}), never in argv. In client mode
 * the engine runs beside the gateway and gets the connect-back details and the secret in its environment. In cluster
 * mode the environment cannot follow the driver, so those go in the file as {@code spark.yarn.appMasterEnv.*} /
 * {@code spark.kubernetes.driverEnv.*} settings, which spark-submit ships to the cluster.
 *
 * <p>Class path: the engine jar is thin (its manifest names {@code lib/*.jar}, Spark's jars among them). The
 * distribution's {@code jars/} already hold Spark, so the driver gets, on {@code spark.driver.extraClassPath}, only the
 * engine jar and those of its libraries the distribution lacks (by file name): each Spark class exists once on the
 * system class path, and the manifest's copies in the application class loader are never reached (it asks its parent
 * first). Executors get the same libraries (not the engine jar) on {@code spark.executor.extraClassPath}: tasks that
 * read {@code s3a://} need the S3A connector. The distribution must be the engine's Spark version (4.2.0).
 */
public final class SparkSubmitLauncher implements Launcher, BatchLauncher {

    private final Optional<Path> sparkHome;
    private final Path engineJar;
    private final String python;
    private final String channelHost;
    private final int channelPort;
    private final String deployMode;
    private final Duration reconnectGrace;

    /** @param reconnectGrace how long an engine keeps dialling a gateway that went away */
    public SparkSubmitLauncher(Optional<Path> sparkHome, Path engineJar, String python, String channelHost,
                               int channelPort, String deployMode, Duration reconnectGrace) {
        this.sparkHome = sparkHome;
        this.engineJar = engineJar;
        this.python = python;
        this.channelHost = channelHost;
        this.channelPort = channelPort;
        this.deployMode = deployMode;
        this.reconnectGrace = reconnectGrace;
    }

    @Override
    public EngineProcess launch(LaunchSpec spec, SessionLog log) throws IOException {
        Path home = SparkHome.require(sparkHome);
        if (engineJar == null || !Files.isRegularFile(engineJar)) {
            throw new IOException("engine jar not found: " + engineJar + " (hearth.engine.jar / HEARTH_ENGINE_JAR)");
        }
        String master = spec.sparkConf().get("spark.master");
        String mode = spec.sparkConf().getOrDefault("spark.submit.deployMode", deployMode);
        // The conf file is named below, in client mode only: a cluster-mode driver gets its settings from spark-submit.
        Map<String, String> engineEnv = new EngineEnvironment(channelHost, channelPort,
                Integer.toString(spec.sessionId()), spec.secret().value(), python, reconnectGrace, null).variables();
        Map<String, String> conf = new LinkedHashMap<>(spec.sparkConf());
        Map<String, String> childEnv = new LinkedHashMap<>();
        if (master.startsWith("local") && System.getenv("SPARK_LOCAL_IP") == null) {
            // As for LocalProcessLauncher: a local driver stays as private as the gateway.
            childEnv.put("SPARK_LOCAL_IP", channelHost);
        }
        if ("cluster".equals(mode)) {
            String prefix = master.startsWith("k8s://") ? "spark.kubernetes.driverEnv." : "spark.yarn.appMasterEnv.";
            engineEnv.forEach((k, v) -> conf.put(prefix + k, v));
        } else {
            childEnv.putAll(engineEnv);
            List<Path> extras = librariesSparkLacks(home);
            conf.merge("spark.driver.extraClassPath", classPath(Stream.concat(Stream.of(engineJar.toAbsolutePath()),
                    extras.stream())), (user, ours) -> ours + File.pathSeparator + user);
            // Executors need the same libraries where tasks use them (the S3A connector and its AWS SDK modules read
            // and write s3a:// paths in tasks), from the same paths: on one host, or where every node has the engine
            // installed at the same place.
            conf.merge("spark.executor.extraClassPath", classPath(extras.stream()),
                    (user, ours) -> ours + File.pathSeparator + user);
        }
        Path confFile = PrivateConfFile.write(PrivateConfFile.dirOf(log), conf);
        if (!"cluster".equals(mode)) {
            // The engine reads the same file (spark-submit has loaded it by then) and deletes it.
            childEnv.put(EngineEnvironment.CONF_FILE_ENV, confFile.toString());
        }
        log.append("[hearth] launching engine with spark-submit from " + home + ": master " + master + ", deploy mode "
                + mode + ", " + spec.sparkConf().size() + " Spark settings");
        SparkLauncher launcher = new SparkLauncher(childEnv)
                .setSparkHome(home.toString())
                .setAppResource(engineJar.toString())
                .setMainClass(EngineLaunch.MAIN_CLASS)
                .setMaster(master)
                .setDeployMode(mode);
        return start(launcher, confFile, log);
    }

    @Override
    public EngineProcess launchBatch(BatchLaunchSpec spec, SessionLog log) throws IOException {
        Path home = SparkHome.require(sparkHome);
        String master = spec.sparkConf().get("spark.master");
        String mode = spec.sparkConf().getOrDefault("spark.submit.deployMode", deployMode);
        Map<String, String> childEnv = new LinkedHashMap<>();
        if (python != null) {
            // The driver's and the executors' Python: the sessions' one, which has pyspark.
            childEnv.put("PYSPARK_PYTHON", python);
            childEnv.put("PYSPARK_DRIVER_PYTHON", python);
        }
        if (master.startsWith("local") && System.getenv("SPARK_LOCAL_IP") == null) {
            // As private as a local engine: no driver or UI on a public interface.
            childEnv.put("SPARK_LOCAL_IP", channelHost);
        }
        Path confFile = PrivateConfFile.write(PrivateConfFile.dirOf(log), spec.sparkConf());
        String main = spec.className() == null ? "" : " (" + spec.className() + ")";
        log.append("[hearth] submitting " + spec.file() + main + " with spark-submit from " + home + ": master " + master + ", deploy mode " + mode + ", "
                + spec.sparkConf().size() + " Spark settings");
        SparkLauncher launcher = new SparkLauncher(childEnv)
                .setSparkHome(home.toString())
                .setAppResource(spec.file())
                .setMaster(master)
                .setDeployMode(mode)
                .addAppArgs(spec.args().toArray(String[]::new));
        if (spec.className() != null) {
            launcher.setMainClass(spec.className());
        }
        if (spec.proxyUser() != null) {
            launcher.addSparkArg("--proxy-user", spec.proxyUser());
        }
        return start(launcher, confFile, log);
    }

    /** Runs spark-submit with the settings in {@code confFile}, deleted when the process ends at the latest. */
    private static EngineProcess start(SparkLauncher launcher, Path confFile, SessionLog log)
            throws IOException {
        Process process;
        try {
            // Straight to the log file, not through a pipe: an engine must outlive a gateway that dies.
            Files.createDirectories(log.file().getParent());
            process = launcher.setPropertiesFile(confFile.toString()).redirectError()
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile())).launch();
        } catch (IOException | RuntimeException e) {
            PrivateConfFile.delete(confFile);
            throw e;
        }
        process.onExit().thenRun(() -> PrivateConfFile.delete(confFile));
        process.getOutputStream().close();
        return new EngineProcess(process);
    }

    /** The engine's libraries the distribution does not already hold (by file name). */
    private List<Path> librariesSparkLacks(Path home) throws IOException {
        Set<String> sparkJars;
        try (Stream<Path> jars = Files.list(home.resolve("jars"))) {
            sparkJars = jars.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        Path lib = engineJar.toAbsolutePath().getParent().resolve("lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> libs = Files.list(lib)) {
            return libs.filter(p -> p.toString().endsWith(".jar"))
                    .filter(p -> !sparkJars.contains(p.getFileName().toString())).sorted().toList();
        }
    }

    private static String classPath(Stream<Path> jars) {
        return jars.map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }
}
