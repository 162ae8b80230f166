package io.hearth.engine.sql;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.interpreter.Interpreter;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import io.hearth.engine.jobs.StatementJobs;
import io.hearth.engine.table.HtmlTable;
import io.hearth.engine.table.JsonTable;
import io.hearth.engine.table.ResultTable;
import io.hearth.engine.table.TextTable;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code sql} statements with {@code spark.sql} on the runner's thread, in the session's one SparkSession (so
 * views made from Python are visible), and answers Livy's {@code application/json} {@code {schema, data}} plus text
 * and HTML tables. At most {@code hearth.sql.maxRows} rows (a runtime Spark conf: {@code SET} changes it) are shown,
 * and a cut result says so in every view.
 */
public final class SqlInterpreter implements Interpreter {

    private static final Logger log = LoggerFactory.getLogger(SqlInterpreter.class);
    private static final long WARM_UP_STOP_MILLIS = 2_000;

    public static final String MAX_ROWS_CONF = "hearth.sql.maxRows";
    public static final int DEFAULT_MAX_ROWS = 1000;
    private static final long NO_STATEMENT = Long.MIN_VALUE;

    private final SparkSession spark;
    private final SqlCompleter completer;
    /** Set by a cancel; checked between the phases of a statement, since a cancel can land before its job starts. */
    private final AtomicLong interrupted = new AtomicLong(NO_STATEMENT);
    private final Thread warmUp;

    public SqlInterpreter(SparkSession spark) {
        this.spark = spark;
        this.completer = new SqlCompleter(spark);
        this.warmUp = new Thread(this::warmCompletion, "hearth-sql-completion-warm-up");
        warmUp.setDaemon(true);
    }

    /**
     * Starts loading what SQL completion reads (keywords, functions, the catalog) on a thread of its own, so that the
     * first Tab of a new session is answered quickly; called once the engine is ready, so it never delays the start.
     */
    public void warmUpCompletion() {
        warmUp.start();
    }

    private void warmCompletion() {
        long started = System.nanoTime();
        try {
            completer.warm();
            log.info("SQL completion ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) { // the first completion will try again, and say nothing either way
            log.warn("could not prepare SQL completion: {}", e.toString());
        }
    }

    @Override
    public Completion complete(String code, int cursor) {
        try {
            return completer.complete(code, cursor);
        } catch (Exception e) { // the catalog failing must not take Tab down: nothing to offer
            return Completion.none(cursor);
        }
    }

    @Override
    public Outcome run(EngineStatement statement, int executionCount, OutputListener output) {
        int maxRows;
        try {
            maxRows = maxRows();
        } catch (IllegalArgumentException e) {
            return new Outcome.Failure("IllegalArgumentException", e.getMessage(), List.of(e.getMessage() + "\n"));
        }
        SparkContext sc = spark.sparkContext();
        String tag = StatementJobs.tagFor(statement.id());
        // Tags are thread-local: set here, on the thread whose jobs they must name, and removed for the next statement.
        sc.addJobTag(tag);
        sc.setInterruptOnCancel(true);
        try {
            checkNotCancelled(statement);
            Dataset<Row> df = spark.sql(statement.code()); // commands (DDL, INSERT) run here, queries are lazy
            checkNotCancelled(statement);
            ResultTable table = ResultTable.collect(df, maxRows);
            return new Outcome.Result(bundle(table));
        } catch (CancelledException e) {
            return cancelled(statement);
        } catch (Exception e) { // Scala code throws checked exceptions (AnalysisException) without declaring them
            return interrupted.get() == statement.id() ? cancelled(statement) : SparkErrors.describe(e);
        } finally {
            sc.removeJobTag(tag);
            sc.setInterruptOnCancel(false);
        }
    }

    /**
     * The runner has already cancelled the statement's tagged jobs; remembering the cancel stops the statement before
     * a job it has not started yet, and cancelling again catches a job submitted between the runner's cancel and now.
     */
    @Override
    public void interrupt(long statementId) {
        interrupted.set(statementId);
        spark.sparkContext().cancelJobsWithTag(StatementJobs.tagFor(statementId),
                "statement " + statementId + " was cancelled");
    }

    @Override
    public void close() {
        // The SparkSession belongs to the engine; only the warm-up thread is ours.
        if (warmUp.isAlive()) {
            warmUp.interrupt();
            try {
                warmUp.join(WARM_UP_STOP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static JsonObject bundle(ResultTable table) {
        JsonObject data = new JsonObject();
        data.add("application/json", JsonTable.render(table));
        data.addProperty("text/plain", TextTable.render(table));
        String html = HtmlTable.render(table);
        if (!html.isEmpty()) {
            data.addProperty("text/html", html);
        }
        return data;
    }

    private int maxRows() {
        String text = spark.conf().get(MAX_ROWS_CONF, Integer.toString(DEFAULT_MAX_ROWS));
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(MAX_ROWS_CONF + " must be a whole number >= 0, not '" + text + "'");
    }

    private void checkNotCancelled(EngineStatement statement) {
        if (interrupted.get() == statement.id()) {
            throw new CancelledException();
        }
    }

    private static Outcome cancelled(EngineStatement statement) {
        String message = "statement " + statement.id() + " was cancelled";
        return new Outcome.Failure("Cancelled", message, List.of("Cancelled: " + message + "\n"));
    }

    /** Internal: ends a statement that was cancelled between its phases. */
    private static final class CancelledException extends RuntimeException {
        CancelledException() {
            super(null, null, false, false);
        }
    }
}
