package io.hearth.gateway.launch;

import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.EngineLaunch;
import io.hearth.protocol.SessionLogFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Starts engines with the distribution's own {@code bin/spark-submit} (a process of its own, so the gateway needs no
 * Spark), for masters a child JVM cannot serve: {@code spark://}, {@code yarn}, {@code k8s://}; and batches, for every
 * master (a batch is the user's application, submitted as a plain Spark job).
 *
 * <p>The Spark settings travel in a private properties file ({@code --properties-file}), never in argv. In client mode
 * the engine runs beside the gateway (as its user's OS account, when it has one: {@link RunAs}) and gets the
 * connect-back details in its environment and the secret on its standard input, which spark-submit's scripts pass on
 * to the driver JVM they exec. spark-submit is started directly, not through {@code SparkLauncher}, whose child
 * environment can only add to the gateway's: here it is {@link EngineVariables}' choice of it. In cluster mode the
 * environment cannot follow the driver: {@link ClusterDeploy} puts what the engine needs in the file, which
 * spark-submit ships to the cluster.
 *
 * <p>Class path: the engine jar is thin (its manifest names {@code lib/*.jar}, Spark's jars among them). The
 * distribution's {@code jars/} already hold Spark, so the driver gets, on {@code spark.driver.extraClassPath}, only the
 * engine jar and those of its libraries the distribution lacks (by file name): each Spark class exists once on the
 * system class path, and the manifest's copies in the application class loader are never reached (it asks its parent
 * first). Executors get the same libraries (not the engine jar), since tasks that read {@code s3a://} need the S3A
 * connector: on YARN shipped into their containers, elsewhere on {@code spark.executor.extraClassPath}. The
 * distribution must be the engine's Spark version (4.2.0).
 */
public final class SparkSubmitLauncher implements Launcher, BatchLauncher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkSubmitLauncher.class);

    private final Optional<Path> sparkHome;
    private final Path engineJar;
    private final String python;
    private final String channelHost;
    private final String clusterChannelHost;
    private final int channelPort;
    private final String deployMode;
    private final Duration reconnectGrace;
    private final ChannelTls tls;
    private final HadoopClient hadoop;
    private final Path sparkConfDir;
    private final EngineVariables variables;
    private final EngineLibraryArchive libraryArchive;

    /** The environment variables naming a batch's exit file and conf file, for {@link #BATCH_WRAPPER}. */
    private static final String EXIT_FILE_ENV = "HEARTH_BATCH_EXIT_FILE";
    private static final String CONF_FILE_ENV = "HEARTH_BATCH_CONF_FILE";

    /**
     * Runs a batch's spark-submit, then removes its conf file (it may hold secrets, and the gateway that would remove
     * it may be gone) and writes its exit code to an owner-only file: only a parent learns a process's exit code, and
     * a gateway restarted while a batch ran is not its parent. The shell stays as that parent; it outlives the gateway
     * as spark-submit does.
     */
    private static final String BATCH_WRAPPER = "\"$@\"; code=$?; rm -f \"$" + CONF_FILE_ENV + "\";"
            + " (umask 077; echo $code > \"$" + EXIT_FILE_ENV + "\"); exit $code";

    /**
     * @param channelHost        where an engine on this host dials the channel (client mode)
     * @param clusterChannelHost where an engine on a cluster node dials it (cluster mode)
     * @param reconnectGrace     how long an engine keeps dialling a gateway that went away
     * @param tls                when engines use TLS on the channel, and the gateway certificate they pin
     * @param hadoop             the Hadoop client configuration for YARN masters and {@code hdfs://} paths
     * @param sparkConfDir       {@code hearth.spark.conf-dir} (spark-submit's {@code SPARK_CONF_DIR}), or null for the
     *                           distribution's own
     * @param variables          which of the gateway's environment variables spark-submit and engines get
     * @param libraryArchive     makes the one file that carries the engine's libraries to YARN containers
     */
    public SparkSubmitLauncher(Optional<Path> sparkHome, Path engineJar, String python, String channelHost,
                               String clusterChannelHost, int channelPort, String deployMode, Duration reconnectGrace,
                               ChannelTls tls, HadoopClient hadoop, Path sparkConfDir, EngineVariables variables,
                               EngineLibraryArchive libraryArchive) {
        this.libraryArchive = libraryArchive;
        this.tls = tls;
        this.variables = variables;
        this.sparkConfDir = sparkConfDir;
        this.sparkHome = sparkHome;
        this.engineJar = engineJar;
        this.python = python;
        this.channelHost = channelHost;
        this.clusterChannelHost = clusterChannelHost;
        this.channelPort = channelPort;
        this.deployMode = deployMode;
        this.reconnectGrace = reconnectGrace;
        this.hadoop = hadoop;
    }

    @Override
    public EngineProcess launch(LaunchSpec spec, SessionLog log) throws IOException {
        Path home = SparkHome.require(sparkHome);
        if (engineJar == null || !Files.isRegularFile(engineJar)) {
            throw new IOException("engine jar not found: " + engineJar + " (hearth.engine.jar / HEARTH_ENGINE_JAR)");
        }
        String master = spec.sparkConf().get("spark.master");
        String mode = spec.sparkConf().getOrDefault("spark.submit.deployMode", deployMode);
        boolean cluster = "cluster".equals(mode);
        // A cluster-mode driver runs in the cluster, as the application's user (--proxy-user); spark-submit here only
        // waits for it, as the gateway.
        OsAccount account = cluster ? null : spec.account();
        // The conf file is named below, in client mode only: a cluster-mode driver gets its settings from spark-submit.
        Map<String, String> engineEnv = new EngineEnvironment(cluster ? clusterChannelHost : channelHost, channelPort,
                Integer.toString(spec.sessionId()), spec.secret().value(), python, reconnectGrace, null, tls).variables();
        Map<String, String> conf = new LinkedHashMap<>(spec.sparkConf());
        Map<String, String> childEnv = driverEnv(conf, mode);
        hadoop.addEnvironment(master, childEnv);
        hadoop.addSparkConf(master, conf);
        List<Path> libraries = engineLibraries(home);
        boolean standaloneCluster = cluster && master.startsWith("spark://");
        if (standaloneCluster) {
            conf = ClusterDeploy.standalone(conf, engineJar, libraries);
        } else if (cluster) {
            conf = ClusterDeploy.settings(master, conf, engineEnv, spec.secret().value(), libraries,
                    master.startsWith("yarn") ? libraryArchive.of(libraries) : null);
        } else {
            childEnv.putAll(engineEnv);
            childEnv.putAll(log.engineVariables());
            conf.merge("spark.driver.extraClassPath", classPath(Stream.concat(Stream.of(engineJar.toAbsolutePath()),
                    libraries.stream())), (user, ours) -> ours + File.pathSeparator + user);
            // Executors need the same libraries where tasks use them (the S3A connector and its AWS SDK modules read
            // and write s3a:// paths in tasks). YARN ships them to its containers; elsewhere they come from the same
            // paths: on one host, or where every node has the engine installed at the same place.
            if (master.startsWith("yarn")) {
                ClusterDeploy.shipToYarnContainers(conf, libraryArchive.of(libraries));
            } else {
                conf.merge("spark.executor.extraClassPath", classPath(libraries.stream()),
                        (user, ours) -> ours + File.pathSeparator + user);
            }
        }
        Path dir = PrivateConfFile.dirOf(log);
        Path work = account == null ? null
                : RunAs.prepare(dir, account, log.file(), SessionLogFile.rotated(log.file()));
        Path written = PrivateConfFile.write(dir, conf);
        if (account != null) {
            RunAs.handOver(account, written);
        }
        // With an account, where the engine may delete it once read; written where the account cannot meddle first.
        Path confFile = account == null ? written : RunAs.moveInto(work, written);
        if (!cluster) {
            // The engine reads the same file (spark-submit has loaded it by then) and deletes it.
            childEnv.put(EngineEnvironment.CONF_FILE_ENV, confFile.toString());
        }
        log.append("[hearth] launching engine with spark-submit from " + home + ": master " + master + ", deploy mode "
                + mode + ", " + spec.sparkConf().size() + " Spark settings"
                + (cluster ? "; the driver dials back to " + clusterChannelHost + ":" + channelPort : "")
                + (account == null ? "" : "; as the OS account " + account.name()));
        List<String> command = new ArrayList<>(List.of(home.resolve("bin").resolve("spark-submit").toString(),
                "--master", master, "--deploy-mode", mode, "--properties-file", confFile.toString(),
                "--class", EngineLaunch.MAIN_CLASS));
        proxyUser(spec.proxyUser(), account, command, childEnv);
        command.add(engineJar.toString());
        childEnv.put("SPARK_HOME", home.toString());
        if (account != null) {
            childEnv.putAll(RunAs.identity(account));
            command = RunAs.command(account, command);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                // Straight to the log file, not through a pipe: an engine must outlive a gateway that dies.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.open().toFile()));
        variables.apply(pb.environment(), childEnv);
        if (standaloneCluster) {
            // The standalone client hands spark-submit's whole environment to the driver (ClusterDeploy).
            Map<String, String> driverEnv = ClusterDeploy.standaloneEnvironment(pb.environment(), engineEnv,
                    spec.secret().value());
            pb.environment().clear();
            pb.environment().putAll(driverEnv);
        }
        if (account != null) {
            pb.directory(work.toFile());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            PrivateConfFile.delete(confFile);
            throw e;
        }
        process.onExit().thenRun(() -> PrivateConfFile.delete(confFile));
        if (cluster) {
            // Its secret travels in the conf file; spark-submit reads nothing from the gateway.
            process.getOutputStream().close();
        } else {
            // spark-submit's scripts exec the driver JVM with the same standard input: the engine reads it there.
            LocalProcessLauncher.handSecret(process, spec, log);
        }
        if (standaloneCluster) {
            return new EngineProcess(process, new StandaloneDriver(home, master, log, childEnv));
        }
        return cluster && master.startsWith("yarn")
                ? new EngineProcess(process, new ClusterApplication(home, log, yarnClientEnvironment(master)))
                : new EngineProcess(process);
    }

    /** A spark-submit of a cluster-mode engine (YARN, standalone) comes back as the waiter of its cluster's driver. */
    @Override
    public Optional<EngineProcess> adopt(long pid, long startedAt, SessionLog log) {
        Optional<EngineProcess> adopted = EngineProcess.adopt(pid, startedAt);
        if (adopted.isEmpty() || sparkHome.isEmpty()) {
            return adopted;
        }
        List<String> argv = adopted.get().arguments();
        int master = argv.indexOf("--master");
        int mode = argv.indexOf("--deploy-mode");
        boolean cluster = master >= 0 && master + 1 < argv.size() && mode >= 0 && mode + 1 < argv.size()
                && argv.get(mode + 1).equals("cluster");
        if (cluster && argv.get(master + 1).startsWith("yarn")) {
            return Optional.of(adopted.get().asDriverOf(new ClusterApplication(sparkHome.get(), log,
                    yarnClientEnvironment(argv.get(master + 1)))));
        }
        if (cluster && argv.get(master + 1).startsWith("spark://")) {
            Map<String, String> env = new LinkedHashMap<>();
            if (sparkConfDir != null) {
                env.put("SPARK_CONF_DIR", sparkConfDir.toString());
            }
            return Optional.of(adopted.get().asDriverOf(new StandaloneDriver(sparkHome.get(), argv.get(master + 1),
                    log, env)));
        }
        return adopted;
    }

    /** What a YARN client run by the gateway needs in its environment beside the gateway's own (HADOOP_CONF_DIR). */
    private Map<String, String> yarnClientEnvironment(String master) {
        Map<String, String> env = new LinkedHashMap<>();
        try {
            hadoop.addEnvironment(master, env);
        } catch (IOException e) {
            // The launch checked it; if it has gone since, the kill fails and says so in the session log.
            LOG.warn("No Hadoop configuration for the YARN client: {}", e.getMessage());
        }
        return env;
    }

    @Override
    public EngineProcess launchBatch(BatchLaunchSpec spec, SessionLog log) throws IOException {
        Path home = SparkHome.require(sparkHome);
        String master = spec.sparkConf().get("spark.master");
        String mode = spec.sparkConf().getOrDefault("spark.submit.deployMode", deployMode);
        Map<String, String> childEnv = driverEnv(spec.sparkConf(), mode);
        if (python != null) {
            // The driver's and the executors' Python: the sessions' one, which has pyspark.
            childEnv.put("PYSPARK_PYTHON", python);
            childEnv.put("PYSPARK_DRIVER_PYTHON", python);
        }
        hadoop.addEnvironment(master, childEnv);
        Map<String, String> conf = new LinkedHashMap<>(spec.sparkConf());
        hadoop.addSparkConf(master, conf);
        // A cluster-mode driver runs in the cluster, as the application's user: spark-submit only submits it.
        OsAccount account = "cluster".equals(mode) ? null : spec.account();
        // With an account, spark-submit runs as it, in its own directory; the wrapper around it stays the gateway's,
        // to write the exit file and remove the conf file where the account cannot reach (the state dir).
        Path dir = account == null ? PrivateConfFile.dirOf(log) : spec.workDir();
        Path work = account == null ? null : RunAs.prepare(dir, account);
        Path confFile = PrivateConfFile.write(dir, conf);
        String main = spec.className() == null ? "" : " (" + spec.className() + ")";
        log.append("[hearth] submitting " + spec.file() + main + " with spark-submit from " + home + ": master " + master + ", deploy mode " + mode + ", "
                + spec.sparkConf().size() + " Spark settings" + (account == null ? "" : ", as the OS account " + account.name()));
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", BATCH_WRAPPER, "hearth-batch-" + spec.batchId()));
        if (account != null) {
            RunAs.handOver(account, confFile);
            // After the wrapper, before spark-submit: the wrapper's "$@" runs setpriv, which runs spark-submit.
            command.addAll(RunAs.command(account, List.of()));
            childEnv.putAll(RunAs.identity(account));
        }
        command.addAll(List.of(home.resolve("bin").resolve("spark-submit").toString(), "--master", master,
                "--deploy-mode", mode, "--properties-file", confFile.toString()));
        if (spec.className() != null) {
            command.addAll(List.of("--class", spec.className()));
        }
        proxyUser(spec.proxyUser(), account, command, childEnv);
        command.add(spec.file());
        command.addAll(spec.args());
        ProcessBuilder pb = new ProcessBuilder(command);
        childEnv.put("SPARK_HOME", home.toString());
        childEnv.put(EXIT_FILE_ENV, spec.exitFile().toString());
        childEnv.put(CONF_FILE_ENV, confFile.toString());
        variables.apply(pb.environment(), childEnv);
        if (account != null) {
            pb.directory(work.toFile());
        }
        Process process;
        try {
            // Straight to the log file, not through a pipe: a batch must outlive a gateway that dies.
            process = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.open().toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            PrivateConfFile.delete(confFile);
            throw e;
        }
        process.onExit().thenRun(() -> PrivateConfFile.delete(confFile));
        process.getOutputStream().close();
        return new EngineProcess(process);
    }

    /**
     * Who the application acts as. spark-submit's {@code --proxy-user} impersonates the user from the account that runs
     * it (the gateway's, which the cluster lets impersonate); an engine or batch already running as the user's own
     * account could not impersonate anyone, so it names the user as Hadoop's simple authentication and Spark read it
     * ({@code HADOOP_USER_NAME}, {@code SPARK_USER}), as the local launcher does.
     */
    private static void proxyUser(String proxyUser, OsAccount account, List<String> command, Map<String, String> env) {
        if (proxyUser == null) {
            return;
        }
        if (account == null) {
            command.addAll(List.of("--proxy-user", proxyUser));
        } else {
            env.put("HADOOP_USER_NAME", proxyUser);
            env.put("SPARK_USER", proxyUser);
        }
    }

    /**
     * The driver's environment beside spark-submit's own: {@code SPARK_LOCAL_IP} for a client-mode driver (its UI
     * binds there, else on every interface), and the operator's {@code SPARK_CONF_DIR} (spark-env.sh, log4j2).
     */
    private Map<String, String> driverEnv(Map<String, String> conf, String mode) {
        Map<String, String> env = new LinkedHashMap<>();
        DriverAddresses.localIp(conf, mode, variables.allowed(), channelHost)
                .ifPresent(ip -> env.put("SPARK_LOCAL_IP", ip));
        if (sparkConfDir != null) {
            env.put("SPARK_CONF_DIR", sparkConfDir.toString());
        }
        return env;
    }

    /** The engine's libraries that the distribution does not already hold. */
    private List<Path> engineLibraries(Path home) throws IOException {
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
