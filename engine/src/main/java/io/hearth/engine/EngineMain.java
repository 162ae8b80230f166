package io.hearth.engine;

import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.jobs.ExecutorWatch;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.jshell.JavaInterpreter;
import io.hearth.engine.link.GatewayLink;
import io.hearth.engine.link.MessageLoop;
import io.hearth.engine.python.PysparkVersionCheck;
import io.hearth.engine.python.PythonAttach;
import io.hearth.engine.python.PythonInterpreter;
import io.hearth.engine.python.PythonSettings;
import io.hearth.engine.run.StatementProgress;
import io.hearth.engine.run.StatementRunner;
import io.hearth.engine.scala.ScalaInterpreter;
import io.hearth.engine.sql.SqlInterpreter;
import io.hearth.engine.start.CappedSessionLog;
import io.hearth.engine.start.Closer;
import io.hearth.engine.start.DriverLinks;
import io.hearth.engine.start.EngineArguments;
import io.hearth.engine.start.EngineConfFile;
import io.hearth.engine.start.EngineStartException;
import io.hearth.engine.start.SparkStarter;
import io.hearth.engine.start.StartPhases;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelTransport;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.MessageCodec;
import io.hearth.protocol.StatementKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine process of one session: dials the gateway, checks the session's Python, starts the SparkSession and the
 * four interpreters (Python at once; Scala and Java with their first statements), reports {@code EngineReady}, then
 * serves statements until {@code Shutdown}, or until the gateway stays unreachable past the reconnect grace. Exit code 0
 * after a normal stop, 1 when the engine could not start.
 */
public final class EngineMain {

    /** What a pooled engine rehearses: a small job, a local DataFrame collected, a value shown. */
    private static final String FIRST_CELL_REHEARSAL = String.join("\n",
            "sc.setJobDescription('Hearth warm-up of a pooled engine')",
            "try:",
            "    spark.range(100).filter('id % 3 = 0').count()",
            "    spark.createDataFrame([(1, 'a')], ['n', 's']).collect()",
            "finally:",
            "    sc.setJobDescription(None)",
            "1 + 1");

    private static final Logger log = LoggerFactory.getLogger(EngineMain.class);

    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(60);
    /** Twice a second at least, as notebook progress bars need; sampling the status store is cheap. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

    private final Map<String, String> environment;
    private final String secret;

    /** @param secret the session's secret, read apart from the environment ({@link EngineEnvironment#readSecret}) */
    public EngineMain(Map<String, String> environment, String secret) {
        this.environment = environment;
        this.secret = secret;
    }

    public static void main(String[] args) {
        CappedSessionLog.install(System.getenv());
        String secret;
        try {
            // Read before anything else runs: the launcher wrote it on standard input (a YARN or Kubernetes driver
            // has it as a Spark property, a standalone cluster's driver in its environment: EngineEnvironment).
            secret = EngineEnvironment.readSecret(System.getProperties(), System.getenv(), System.in);
        } catch (IOException e) {
            log.error("the engine cannot read its session secret from standard input: {}", e.toString());
            System.exit(1);
            return;
        }
        int code = new EngineMain(System.getenv(), secret).run(args);
        if ("cluster".equals(System.getProperty("spark.submit.deployMode"))
                && System.getProperty("spark.master", "").startsWith("yarn")) {
            // In YARN's ApplicationMaster: it reports the application's final status when main returns (or throws),
            // then ends the JVM itself; an exit here would be reported as a failure, whatever the code.
            if (code != 0) {
                throw new IllegalStateException("the engine stopped with code " + code + "; see the log above");
            }
            return;
        }
        // Spark leaves non-daemon threads behind even after stop(): exit explicitly.
        System.exit(code);
    }

    /** Runs the engine to its end and returns the process exit code. */
    public int run(String[] args) {
        long startNanos = System.nanoTime();
        StartPhases phases = new StartPhases();
        // From the JVM's start to here: the JVM itself, loading this class, the log set-up and the secret.
        phases.recordMillis("jvm", ManagementFactory.getRuntimeMXBean().getUptime());
        EngineEnvironment env;
        try {
            env = EngineEnvironment.from(environment, secret);
        } catch (IllegalArgumentException e) {
            log.error("the engine cannot start: {}", e.getMessage());
            return 1;
        }
        log.info("engine for session {} starting: {}", env.sessionId(), env);
        Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth(), ChannelTransport.engine(env.tls()));
        Handshake.Connected connected;
        try {
            connected = handshake.connect(env.gatewayHost(), env.gatewayPort(), env.sessionId(), env.secret());
        } catch (IOException | RuntimeException e) {
            log.error("the engine cannot reach the gateway at {}:{}: {}", env.gatewayHost(), env.gatewayPort(),
                    e.toString());
            return 1;
        }
        phases.record("gateway-link", startNanos, System.nanoTime());
        GatewayLink link = new GatewayLink(handshake, env, connected);
        Closer closer = new Closer();
        closer.register("the gateway channel", link);
        // If the JVM is stopped by a signal, still take the Python process and Spark down in order.
        Thread hook = new Thread(closer::close, "hearth-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            StatementRunner runner;
            try {
                runner = start(args, env, link, closer, startNanos, phases);
            } catch (EngineStartException e) {
                log.error("the engine failed to start: {}", e.getMessage());
                link.send(new ChannelMessage.EngineFailed(e.getMessage()));
                return 1;
            }
            new MessageLoop(link, runner).run();
            return 0;
        } finally {
            closer.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; the closer makes that harmless
            }
            log.info("engine for session {} stopped", env.sessionId());
        }
    }

    private StatementRunner start(String[] args, EngineEnvironment env, GatewayLink link, Closer closer,
                                  long startNanos, StartPhases phases) throws EngineStartException {
        try {
            EngineArguments arguments;
            try {
                arguments = EngineArguments.parse(args);
            } catch (IllegalArgumentException e) {
                throw new EngineStartException("bad engine arguments: " + e.getMessage());
            }
            String sparkVersion = PysparkVersionCheck.jvmSparkVersion();
            // Python's check, start and imports run beside Spark's start; Python waits for Spark to wrap its objects.
            CompletableFuture<SparkSession> sparkStarted = new CompletableFuture<>();
            PythonInterpreter python = new PythonInterpreter(PythonSettings.of(env.python()), sparkStarted);
            PythonAttach attach = PythonAttach.start(
                    new PysparkVersionCheck(env.python(), Map.of(), VERSION_CHECK_TIMEOUT), sparkVersion, python, phases);

            SparkStarter starter = new SparkStarter(env.sessionId());
            // The gateway's file, then what spark-submit set as system properties (the same file, as spark-submit
            // rewrote it: package jars added to spark.jars, pyFiles to spark.files, the app jar; its only way in cluster
            // mode), then --conf arguments (a hand-started engine's way), each over the one before.
            Map<String, String> sparkConf = new java.util.LinkedHashMap<>(EngineConfFile.readAndDelete(env.confFile()));
            sparkConf.putAll(EngineConfFile.sparkProperties(System.getProperties()));
            sparkConf.putAll(arguments.sparkConf());
            long sparkStartNanos = System.nanoTime();
            SparkSession spark;
            try {
                spark = starter.start(sparkConf);
            } catch (EngineStartException | RuntimeException | LinkageError e) {
                sparkStarted.completeExceptionally(e); // Python, waiting for Spark, fails and exits
                python.close();
                throw e;
            }
            sparkStarted.complete(spark);
            closer.register("the SparkSession", spark::stop);
            closer.register("the Python interpreter", python);
            SparkContext sc = spark.sparkContext();
            long sparkNanos = System.nanoTime();
            phases.record("spark", sparkStartNanos, sparkNanos);

            attach.await();
            long pythonNanos = System.nanoTime();
            phases.record("python-after-spark", sparkNanos, pythonNanos);
            if (Boolean.parseBoolean(sparkConf.get(EngineEnvironment.POOLED_PROPERTY))) {
                rehearseFirstCell(python);
                phases.record("warm-up", pythonNanos, System.nanoTime());
            }

            // JShell and the Scala compiler start with their first statements: most sessions never need them.
            JavaInterpreter java = JavaInterpreter.forSession(spark, starter.classLoader());
            closer.register("the Java interpreter", java);
            ScalaInterpreter scala = new ScalaInterpreter(spark, starter.classLoader(), ScalaInterpreter.DEFAULT_STOP_GRACE);
            closer.register("the Scala interpreter", scala);
            SqlInterpreter sql = new SqlInterpreter(spark);
            closer.register("the SQL interpreter", sql);

            StatementProgress progress = new StatementProgress(sc.statusTracker(), link, PROGRESS_INTERVAL,
                    ExecutorWatch.on(sc));
            closer.register("the progress sampler", progress);
            StatementRunner runner = new StatementRunner(Map.of(StatementKind.PYSPARK, python, StatementKind.SQL, sql,
                    StatementKind.SPARK, scala, StatementKind.JAVA, java), new StatementJobs(sc), progress, link,
                    link::maxStatementOutput, sc::isStopped);
            closer.register("the statement runner", runner);
            runner.start();

            DriverLinks links = DriverLinks.of(sc, environment);
            try {
                // Sent on the first channel directly: an engine whose gateway died before it was ready stops.
                link.channel().send(new ChannelMessage.EngineReady(sc.applicationId(), links.sparkUiUrl(), sc.version(),
                        sc.master(), links.driverLogUrl()));
            } catch (IOException e) {
                throw new EngineStartException("the gateway channel broke before the engine was ready: " + e, e);
            }
            long readyNanos = System.nanoTime();
            phases.record("interpreters", pythonNanos, readyNanos);
            phases.record("main-to-ready", startNanos, readyNanos);
            log.info("engine ready in {} ms: Spark {} app {} on {}", millis(startNanos, readyNanos), sc.version(),
                    sc.applicationId(), sc.master());
            log.info(phases.line());
            sql.warmUpCompletion();
            return runner;
        } catch (RuntimeException | LinkageError e) {
            log.error("unexpected failure while starting", e);
            throw new EngineStartException("the engine failed while starting: " + e, e);
        }
    }

    /**
     * A rehearsal of a first cell before a pooled engine says it is ready: a new SparkContext's first jobs pay for the
     * scheduler's, codegen's and the task path's first use, and Python's first DataFrame calls for pyspark's imports
     * and py4j (seconds, then ~0.5 s), which the session's first cell would otherwise pay. Only pooled engines do it,
     * since they wait for a session anyway; a cold session's first statement never waits behind it.
     */
    private static void rehearseFirstCell(PythonInterpreter python) {
        long started = System.nanoTime();
        Outcome outcome = python.rehearse(FIRST_CELL_REHEARSAL);
        if (outcome instanceof Outcome.Failure failure) { // the first cell then pays, nothing worse
            log.warn("first-cell rehearsal failed: {}: {}", failure.ename(), failure.evalue());
        }
        log.info("first-cell rehearsal in {} ms", millis(started, System.nanoTime()));
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }
}
