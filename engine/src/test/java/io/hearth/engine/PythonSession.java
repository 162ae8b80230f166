package io.hearth.engine;

import io.hearth.protocol.ChannelMessage;
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
final class PythonSession implements AutoCloseable {

    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);

    final SparkSession spark;
    final PythonInterpreter python;
    final CollectingSink sink = new CollectingSink();
    final StatementProgress progress;
    final StatementRunner runner;
    private final AtomicLong ids = new AtomicLong();

    /** The outcome of one statement: everything it sent, and its end. */
    record Run(List<CollectingSink.Received> messages, StatementFinished finished) {

        String stdout() {
            return stream(OutputListener.STDOUT);
        }

        String stderr() {
            return stream(OutputListener.STDERR);
        }

        private String stream(String name) {
            StringBuilder text = new StringBuilder();
            for (CollectingSink.Received r : messages) {
                if (r.message() instanceof ChannelMessage.Output o && o.stream().equals(name)) {
                    text.append(o.text());
                }
            }
            return text.toString();
        }

        String textPlain() {
            var data = finished.output().data();
            if (data == null) {
                throw new AssertionError("statement failed: " + finished.output());
            }
            return data.has("text/plain") ? data.get("text/plain").getAsString() : null;
        }
    }

    PythonSession() throws EngineStartException {
        this(PythonSettings.DEFAULT_CANCEL_GRACE);
    }

    PythonSession(Duration cancelGrace) throws EngineStartException {
        this(Map.of("spark.master", "local[2]", "spark.ui.enabled", "false", "spark.sql.shuffle.partitions", "2"),
                cancelGrace);
    }

    /** A session on a Spark configuration of the test's (executors in other JVMs, say). */
    PythonSession(Map<String, String> sparkConf) throws EngineStartException {
        this(sparkConf, PythonSettings.DEFAULT_CANCEL_GRACE);
    }

    private PythonSession(Map<String, String> sparkConf, Duration cancelGrace) throws EngineStartException {
        spark = new SparkStarter("test").start(sparkConf);
        python = new PythonInterpreter(new PythonSettings(System.getProperty("hearth.python"), Map.of(),
                PythonSettings.DEFAULT_START_TIMEOUT, cancelGrace), spark);
        python.start();
        progress = new StatementProgress(spark.sparkContext().statusTracker(), sink, Duration.ofMillis(200));
        runner = new StatementRunner(
                Map.of(StatementKind.PYSPARK, python, StatementKind.SQL, new SqlInterpreter(spark)),
                new StatementJobs(spark.sparkContext()), progress, sink);
        runner.start();
    }

    long submit(String kind, String code) {
        long id = ids.getAndIncrement();
        runner.submit(new EngineStatement(id, kind, code));
        return id;
    }

    long submit(String code) {
        return submit("pyspark", code);
    }

    Run await(long id) throws InterruptedException {
        List<CollectingSink.Received> messages = sink.awaitFinished(id, STATEMENT_TIMEOUT);
        return new Run(messages, (StatementFinished) messages.get(messages.size() - 1).message());
    }

    Run run(String code) throws InterruptedException {
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
