package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.jobs.ExecutorWatch;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.run.StatementProgress;
import io.hearth.engine.run.StatementRunner;
import io.hearth.engine.run.StatementSink;
import io.hearth.engine.start.SparkStarter;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementFinished;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import io.hearth.protocol.StatementKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;

/**
 * What a test class shares: one SparkSession started as the engine starts it (so with a REPL class directory), the
 * Java interpreter, and a runner reporting into a recording sink.
 */
final class JavaSession implements AutoCloseable, StatementSink {

    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(90);

    /** A message and when it arrived (System.nanoTime). */
    record Received(ChannelMessage message, long nanos) {
    }

    /** Everything one statement sent, and how it ended. */
    record Run(List<Received> messages, StatementFinished finished) {

        String stdout() {
            return stream("stdout");
        }

        String stderr() {
            return stream("stderr");
        }

        StatementOutput output() {
            return finished.output();
        }

        String textPlain() {
            if (!"ok".equals(output().status())) {
                throw new AssertionError("statement failed: " + output());
            }
            var data = output().data();
            return data.has("text/plain") ? data.get("text/plain").getAsString() : null;
        }

        private String stream(String name) {
            StringBuilder text = new StringBuilder();
            for (Received r : messages) {
                if (r.message() instanceof ChannelMessage.Output o && o.stream().equals(name)) {
                    text.append(o.text());
                }
            }
            return text.toString();
        }
    }

    final SparkSession spark;
    final JavaInterpreter java;
    final StatementProgress progress;
    final StatementRunner runner;
    private final AtomicLong ids = new AtomicLong();
    private final List<Received> received = new ArrayList<>();

    JavaSession(String master, Duration stopGrace) throws Exception {
        this(Map.of("spark.master", master), stopGrace);
    }

    /** @param sparkConf on top of the test defaults: UI off, 2 shuffle partitions */
    JavaSession(Map<String, String> sparkConf, Duration stopGrace) throws Exception {
        Map<String, String> conf = new java.util.HashMap<>(Map.of(
                "spark.ui.enabled", "false",
                "spark.sql.shuffle.partitions", "2"));
        conf.putAll(sparkConf);
        SparkStarter starter = new SparkStarter("java-test");
        spark = starter.start(conf);
        String dir = spark.sparkContext().getConf().get(SparkStarter.REPL_CLASS_DIR);
        java = new JavaInterpreter(spark, starter.classLoader(), Path.of(dir), stopGrace, System.getProperty("java.class.path"));
        progress = new StatementProgress(spark.sparkContext().statusTracker(), this, Duration.ofMillis(200),
                ExecutorWatch.on(spark.sparkContext()));
        runner = new StatementRunner(Map.of(StatementKind.JAVA, java), new StatementJobs(spark.sparkContext()), progress,
                this, () -> io.hearth.protocol.Channel.DEFAULT_MAX_STATEMENT_OUTPUT,
                spark.sparkContext()::isStopped);
        runner.start();
    }

    JavaSession() throws Exception {
        this("local[2]", JavaInterpreter.DEFAULT_STOP_GRACE);
    }

    long submit(String code) {
        long id = ids.getAndIncrement();
        runner.submit(new EngineStatement(id, "java", code));
        return id;
    }

    Run run(String code) throws InterruptedException {
        return await(submit(code));
    }

    synchronized Run await(long id) throws InterruptedException {
        long deadline = System.nanoTime() + STATEMENT_TIMEOUT.toNanos();
        while (true) {
            List<Received> mine = about(id);
            if (!mine.isEmpty() && mine.get(mine.size() - 1).message() instanceof StatementFinished f) {
                return new Run(mine, f);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("statement " + id + " did not finish; got " + mine);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until the statement has printed something, and returns all of it so far. */
    synchronized String awaitOutput(long id) throws InterruptedException {
        long deadline = System.nanoTime() + STATEMENT_TIMEOUT.toNanos();
        while (true) {
            StringBuilder text = new StringBuilder();
            for (Received r : about(id)) {
                if (r.message() instanceof ChannelMessage.Output o) {
                    text.append(o.text());
                }
            }
            if (text.length() > 0) {
                return text.toString();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("statement " + id + " printed nothing");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public synchronized void send(ChannelMessage message) {
        received.add(new Received(message, System.nanoTime()));
        notifyAll();
    }

    private List<Received> about(long id) {
        List<Received> mine = new ArrayList<>();
        for (Received r : received) {
            long of = r.message() instanceof ChannelMessage.StatementStarted s ? s.statementId()
                    : r.message() instanceof ChannelMessage.Output o ? o.statementId()
                    : r.message() instanceof StatementFinished f ? f.statementId() : Long.MIN_VALUE;
            if (of == id) {
                mine.add(r);
            }
        }
        return mine;
    }

    @Override
    public void close() {
        runner.close();
        progress.close();
        java.close();
        spark.stop();
    }
}
