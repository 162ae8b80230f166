package io.hearth.gateway.launch;

import io.hearth.gateway.config.SparkMemory;
import io.hearth.gateway.http.ApiException;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.SessionLogFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Starts each engine as a child JVM of the gateway: {@code java <Spark's module options> -jar hearth-engine.jar}, with
 * the connect-back details in its environment (the allowed part of the gateway's, {@link EngineVariables}, and its
 * own), the secret on its standard input and the Spark settings in a private file it reads and deletes (never in
 * argv, where any local user could read the secret or a client's conf values). Its output goes straight to the
 * session's log file, not through a pipe: the engine must outlive a gateway that dies. An engine with an
 * {@link OsAccount} runs as that account ({@link RunAs}), in its own directory.
 */
public final class LocalProcessLauncher implements Launcher {

    /**
     * What spark-submit does before the driver starts and a child JVM started here cannot: resolve packages, put jars
     * on the driver's class path, ship Python files, set the driver JVM's own options. A local engine with any of these
     * goes through spark-submit under {@code hearth.launcher=auto}; with {@code local} it is refused.
     */
    static final List<String> SPARK_SUBMIT_KEYS = List.of("spark.jars", "spark.jars.packages", "spark.submit.pyFiles",
            "spark.files", "spark.archives", "spark.driver.extraClassPath", "spark.driver.extraJavaOptions",
            "spark.driver.extraLibraryPath");

    private final Path java;
    private final Path engineJar;
    private final String python;
    private final String channelHost;
    private final int channelPort;
    private final Duration reconnectGrace;
    private final ChannelTls tls;
    private final EngineVariables variables;

    /**
     * @param reconnectGrace how long an engine keeps dialling a gateway that went away before it stops
     * @param tls            when engines use TLS on the channel, and the gateway certificate they pin
     * @param variables      which of the gateway's environment variables engines get
     */
    public LocalProcessLauncher(Path java, Path engineJar, String python, String channelHost, int channelPort,
                                Duration reconnectGrace, ChannelTls tls, EngineVariables variables) {
        this.tls = tls;
        this.variables = variables;
        this.java = java;
        this.engineJar = engineJar;
        this.python = python;
        this.channelHost = channelHost;
        this.channelPort = channelPort;
        this.reconnectGrace = reconnectGrace;
    }

    /** The {@code java} executable running this gateway, so engines run on the same, known-good runtime. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The keys of {@code sparkConf} this launcher cannot honour, in {@link #SPARK_SUBMIT_KEYS}' order. */
    static List<String> unsupported(Map<String, String> sparkConf) {
        return SPARK_SUBMIT_KEYS.stream().filter(k -> sparkConf.get(k) != null && !sparkConf.get(k).isBlank())
                .toList();
    }

    @Override
    public void checkSupported(Map<String, String> sparkConf) {
        List<String> keys = unsupported(sparkConf);
        if (!keys.isEmpty()) {
            throw ApiException.badRequest("this gateway starts engines without spark-submit (hearth.launcher=local),"
                    + " which cannot honour " + String.join(", ", keys) + " (jars, packages, pyFiles, files, archives"
                    + " and the driver's JVM options take effect only through spark-submit); ask the operator for"
                    + " hearth.launcher=auto or spark-submit, or leave them out");
        }
    }

    @Override
    public EngineProcess launch(LaunchSpec spec, SessionLog log) throws IOException {
        if (engineJar == null) {
            throw new IOException("no engine jar configured (hearth.engine.jar / HEARTH_ENGINE_JAR)");
        }
        if (!Files.isRegularFile(engineJar)) {
            throw new IOException("engine jar not found: " + engineJar);
        }
        OsAccount account = spec.account();
        Path dir = PrivateConfFile.dirOf(log);
        Path work = account == null ? null
                : RunAs.prepare(dir, account, log.file(), SessionLogFile.rotated(log.file()));
        Path written = PrivateConfFile.write(dir, spec.sparkConf());
        if (account != null) {
            RunAs.handOver(account, written);
        }
        // With an account, where the engine may delete it once read; written where the account cannot meddle first.
        Path confFile = account == null ? written : RunAs.moveInto(work, written);
        Map<String, String> own = new LinkedHashMap<>(new EngineEnvironment(channelHost, channelPort,
                Integer.toString(spec.sessionId()), spec.secret().value(), python, reconnectGrace, confFile.toString(), tls)
                .variables());
        own.putAll(log.engineVariables());
        if (spec.proxyUser() != null) {
            // What the engine can do beside running as an OS account is name the user it acts for. Spark reads
            // SPARK_USER as its user (sparkUser, event logs, ACLs) and Hadoop's simple authentication reads
            // HADOOP_USER_NAME (HDFS and Hive access). With Kerberos, only spark-submit --proxy-user impersonates.
            own.put("SPARK_USER", spec.proxyUser());
            own.put("HADOOP_USER_NAME", spec.proxyUser());
        }
        // A local engine is as private as the gateway: Spark would otherwise bind its driver and UI (which can kill
        // jobs) on a public interface. An operator's own SPARK_LOCAL_IP wins.
        DriverAddresses.localIp(spec.sparkConf(), "client", variables.allowed(), channelHost)
                .ifPresent(ip -> own.put("SPARK_LOCAL_IP", ip));
        List<String> command = command(spec, log);
        if (account != null) {
            own.putAll(RunAs.identity(account));
            command = RunAs.command(account, command);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.open().toFile()));
        variables.apply(pb.environment(), own);
        if (account != null) {
            // Its own directory, not the gateway's: Spark SQL's warehouse and metastore go to the working directory.
            pb.directory(work.toFile());
        }
        // Conf values are the client's and may be sensitive (storage keys): the log says how many, not what.
        log.append("[hearth] launching engine: " + java + " -jar " + engineJar + " with "
                + spec.sparkConf().size() + " Spark settings, master " + spec.sparkConf().get("spark.master")
                + (account == null ? "" : ", as the OS account " + account.name()));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            PrivateConfFile.delete(confFile);
            throw e;
        }
        // The engine deletes the file once read; this covers an engine that died before reading it.
        process.onExit().thenRun(() -> PrivateConfFile.delete(confFile));
        handSecret(process, spec, log);
        return new EngineProcess(process);
    }

    /**
     * Writes the secret to the engine's standard input and closes it: a pipe only the engine's account (and root) can
     * read from, never its environment, which the Python driver and its workers would inherit.
     */
    static void handSecret(Process process, LaunchSpec spec, SessionLog log) {
        try {
            EngineEnvironment.writeSecret(process.getOutputStream(), spec.secret().value());
        } catch (IOException e) {
            // The engine has already gone; its exit is reported with the log's tail.
            log.append("[hearth] could not hand the engine its secret: " + e.getMessage());
        }
    }

    private List<String> command(LaunchSpec spec, SessionLog log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(EngineClassArchive.options(engineJar, log));
        cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        if (spec.driverMemory() != null) {
            // In a local engine the driver is this JVM: spark.driver.memory alone would be read too late to matter.
            cmd.add("-Xmx" + SparkMemory.mebibytes(spec.driverMemory()) + "m");
        }
        cmd.add("-jar");
        cmd.add(EngineClassArchive.canonicalJar(engineJar).toString());
        return cmd;
    }
}
