package io.hearth.engine.python;

import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.jobs.ExecutorWatch;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.run.StatementProgress;
import io.hearth.engine.run.StatementRunner;
import io.hearth.engine.sql.SqlInterpreter;
import io.hearth.engine.start.EngineStartException;
import io.hearth.engine.start.SparkStarter;
import io.hearth.protocol.ChannelMessage.StatementFinished;
import io.hearth.protocol.StatementKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/**
 * What a test class shares: one local[2] SparkSession, the real venv Python attached to it, SQL, and a runner that
 * reports into a collecting sink instead of a socket.
 */
public final class PythonSession implements AutoCloseable {

    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

    public final SparkSession spark;
    public final PythonInterpreter python;
    public final CollectingSink sink = new CollectingSink();
    public final StatementProgress progress;
    public final StatementRunner runner;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong maxOutput = new AtomicLong(io.hearth.protocol.Channel.DEFAULT_MAX_STATEMENT_OUTPUT);

    public PythonSession() throws EngineStartException {
        this(PythonSettings.DEFAULT_CANCEL_GRACE);
    }

    public PythonSession(Duration cancelGrace) throws EngineStartException {
        this(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "2"),
                cancelGrace);
    }

    /** A session on a Spark configuration of the test's (executors in other JVMs, say). */
    public PythonSession(Map<String, String> sparkConf) throws EngineStartException {
        this(sparkConf, PythonSettings.DEFAULT_CANCEL_GRACE);
    }

    private PythonSession(Map<String, String> sparkConf, Duration cancelGrace) throws EngineStartException {
        spark = new SparkStarter("test").start(sparkConf);
        python = new PythonInterpreter(new PythonSettings(System.getProperty("hearth.python"), Map.of(),
                PythonSettings.DEFAULT_START_TIMEOUT, cancelGrace), spark);
        python.start();
        progress = new StatementProgress(spark.sparkContext().statusTracker(), sink, Duration.ofMillis(200),
                ExecutorWatch.on(spark.sparkContext()));
        runner = new StatementRunner(
                Map.of(StatementKind.PYSPARK, python, StatementKind.SQL, new SqlInterpreter(spark)),
                new StatementJobs(spark.sparkContext()), progress, sink, maxOutput::get,
                spark.sparkContext()::isStopped);
        runner.start();
    }

    /** From the next statement on, statements may return this many bytes (the gateway's setting; 64 MiB to start). */
    public void limitOutputTo(long bytes) {
        maxOutput.set(bytes);
    }

    public long submit(String kind, String code) {
        long id = ids.getAndIncrement();
        runner.submit(new EngineStatement(id, kind, code));
        return id;
    }

    public long submit(String code) {
        return submit("pyspark", code);
    }

    public RunRecord await(long id) throws InterruptedException {
        List<CollectingSink.Received> messages = sink.awaitFinished(id, STATEMENT_TIMEOUT);
        return new RunRecord(messages, (StatementFinished) messages.get(messages.size() - 1).message());
    }

    public RunRecord run(String code) throws InterruptedException {
        return await(submit(code));
    }

    @Override
    public void close() {
        runner.close();
        progress.close();
        python.close();
        spark.stop();
    }
}
