package io.hearth.engine.scala;

import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.jobs.ExecutorWatch;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.run.StatementProgress;
import io.hearth.engine.run.StatementRunner;
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
 * What a Scala test class shares: a SparkSession (started, as every session is, with a REPL class directory), the Scala interpreter, and a
 * runner that reports into a collecting sink instead of a socket.
 */
final class ScalaSession implements AutoCloseable {

    /** Generous: the first statement starts the compiler, which takes seconds on a loaded 2-core machine. */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(120);

    final SparkSession spark;
    final ScalaInterpreter scala;
    final CollectingSink sink = new CollectingSink();
    final StatementProgress progress;
    final StatementRunner runner;
    private final AtomicLong ids = new AtomicLong();

    /** A local[2] session. */
    static ScalaSession local(Duration stopGrace) throws EngineStartException {
        return new ScalaSession(Map.of(
                "spark.master", "local[2]",
                "spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2"), stopGrace);
    }

    /** @param sparkConf the session's Spark configuration; SparkStarter adds the REPL class directory */
    ScalaSession(Map<String, String> sparkConf, Duration stopGrace) throws EngineStartException {
        SparkStarter starter = new SparkStarter("test");
        spark = starter.start(sparkConf);
        scala = new ScalaInterpreter(spark, starter.classLoader(), stopGrace);
        progress = new StatementProgress(spark.sparkContext().statusTracker(), sink, Duration.ofMillis(200),
                ExecutorWatch.on(spark.sparkContext()));
        runner = new StatementRunner(Map.of(StatementKind.SPARK, scala),
                new StatementJobs(spark.sparkContext()), progress, sink,
                () -> io.hearth.protocol.Channel.DEFAULT_MAX_STATEMENT_OUTPUT, spark.sparkContext()::isStopped);
        runner.start();
    }

    long submit(String code) {
        long id = ids.getAndIncrement();
        runner.submit(new EngineStatement(id, "spark", code));
        return id;
    }

    RunRecord await(long id) throws InterruptedException {
        List<CollectingSink.Received> messages = sink.awaitFinished(id, STATEMENT_TIMEOUT);
        return new RunRecord(messages, (StatementFinished) messages.get(messages.size() - 1).message());
    }

    RunRecord run(String code) throws InterruptedException {
        return await(submit(code));
    }

    @Override
    public void close() {
        runner.close();
        progress.close();
        scala.close();
        spark.stop();
    }
}
