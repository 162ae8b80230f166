package io.hearth.kernel.magic;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.display.SqlResults;
import io.hearth.kernel.display.SqlTable;
import io.hearth.kernel.livy.StatementKind;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code %%sql}: runs the cell as a SQL statement in the kernel's session and shows the table; {@code -n} caps the
 * rows, {@code -q} shows nothing, {@code --chart} adds a Vega-Lite chart, and {@code -o NAME} keeps the rows as a
 * pandas DataFrame {@code NAME} in the session's Python (there is no local Python in this kernel, unlike sparkmagic).
 */
public final class SqlMagic implements Magic {

    /** The engine's runtime Spark conf for the most rows a SQL result shows. */
    static final String MAX_ROWS_CONF = "hearth.sql.maxRows";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> PYTHON_KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async",
            "await", "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from",
            "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
            "while", "with", "yield");
    private static final Gson GSON = new Gson();

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String usage() {
        return "%%sql [-o NAME] [-n MAXROWS] [-q] [--chart " + ChartType.choices() + " [-x COLUMN] [-y COLUMN]]";
    }

    @Override
    public String summary() {
        return "Runs the cell as Spark SQL in the kernel's session and shows the table. -n: at most MAXROWS rows; "
                + "-q: show nothing; --chart: also a Vega-Lite chart (x, y default to the first two columns); "
                + "-o NAME: keep the rows as a pandas DataFrame NAME in the session's Python.";
    }

    @Override
    public boolean takesBody() {
        return true;
    }

    @Override
    public Optional<StatementKind> bodyKind() {
        return Optional.of(StatementKind.SQL);
    }

    @Override
    public JsonObject run(MagicCall call, MagicContext context, CellSink sink) throws MagicSyntaxException, CellFailure {
        MagicArgs args = MagicArgs.parse(call.args(), Set.of("-q"), Set.of("-o", "-n", "--chart", "-x", "-y"), 0);
        String query = call.body().strip();
        if (query.isEmpty()) {
            throw new MagicSyntaxException("write the query on the lines below %%sql");
        }
        Optional<String> output = args.value("-o");
        if (output.isPresent() && (!IDENTIFIER.matcher(output.get()).matches() || PYTHON_KEYWORDS.contains(output.get()))) {
            throw new MagicSyntaxException("-o needs a Python variable name, not '" + output.get() + "'");
        }
        Optional<Integer> maxRows = args.intValue("-n", 0);
        Optional<ChartType> chart = args.value("--chart").isPresent()
                ? Optional.of(ChartType.parse(args.value("--chart").get())) : Optional.empty();
        if (chart.isEmpty() && (args.value("-x").isPresent() || args.value("-y").isPresent())) {
            throw new MagicSyntaxException("-x and -y choose the columns of a chart: add --chart " + ChartType.choices());
        }
        boolean quiet = args.flag("-q");
        if (quiet && chart.isPresent()) {
            throw new MagicSyntaxException("-q shows nothing, so --chart would draw nothing: drop one of them");
        }

        // Quiet keeps printed text (a failure's, the session's start) but no shown values, live progress included.
        CellSink querySink = quiet ? sink::stream : sink;
        JsonObject result = maxRows.isPresent()
                ? runWithRowLimit(context.languages(), query, maxRows.get(), querySink)
                : context.languages().run(StatementKind.SQL, query, querySink);
        Optional<SqlTable> table = SqlTable.from(result);
        if (output.isPresent()) {
            SqlTable rows = table.orElseThrow(() -> MagicErrors.failure("-o " + output.get()
                    + ": the statement gave no table to keep"));
            context.languages().run(StatementKind.PYSPARK, pandasAssignment(output.get(), rows), querySink);
        }
        if (quiet) {
            return new JsonObject();
        }
        if (chart.isPresent()) {
            SqlTable rows = table.orElseThrow(() -> MagicErrors.failure("--chart: the statement gave no table to draw"));
            JsonObject spec = VegaLiteChart.spec(chart.get(), rows, args.value("-x"), args.value("-y"));
            JsonObject bundle = new JsonObject();
            bundle.add(VegaLiteChart.MIME, spec);
            bundle.addProperty("text/plain", VegaLiteChart.describe(chart.get(), spec));
            sink.display(bundle);
        }
        return SqlResults.shown(result);
    }

    /**
     * The Python statement that makes {@code name} a pandas DataFrame of the rows shown (values as the JSON result has
     * them: numbers, strings, booleans, None; dates and timestamps as strings).
     */
    static String pandasAssignment(String name, SqlTable table) {
        JsonArray rows = new JsonArray();
        table.rows().forEach(rows::add);
        // A JSON string literal is a valid Python string literal: the data travels as text and json.loads reads it.
        return name + " = __import__('pandas').DataFrame(__import__('json').loads(" + GSON.toJson(GSON.toJson(rows))
                + "), columns=__import__('json').loads(" + GSON.toJson(GSON.toJson(table.columnNames())) + "))";
    }

    /**
     * Runs {@code query} with the engine's row cap set to {@code maxRows}, then puts the cap back as it was: the engine
     * itself cuts the result and says so in its tables.
     */
    private static JsonObject runWithRowLimit(Languages languages, String query, int maxRows, CellSink sink)
            throws CellFailure {
        String previous = SqlTable.from(languages.run(StatementKind.SQL, "SET " + MAX_ROWS_CONF, CellSink.DISCARD))
                .filter(t -> t.rows().size() == 1 && t.rows().get(0).size() == 2 && !t.rows().get(0).get(1).isJsonNull())
                .map(t -> t.rows().get(0).get(1).getAsString())
                .orElse("<undefined>");
        languages.run(StatementKind.SQL, "SET " + MAX_ROWS_CONF + "=" + maxRows, CellSink.DISCARD);
        JsonObject result;
        try {
            result = languages.run(StatementKind.SQL, query, sink);
        } catch (CellFailure queryFailed) {
            restoreQuietly(languages, previous);
            throw queryFailed;
        }
        restore(languages, previous);
        return result;
    }

    private static void restore(Languages languages, String previous) throws CellFailure {
        languages.run(StatementKind.SQL, "<undefined>".equals(previous)
                ? "RESET " + MAX_ROWS_CONF : "SET " + MAX_ROWS_CONF + "=" + previous, CellSink.DISCARD);
    }

    private static void restoreQuietly(Languages languages, String previous) {
        try {
            restore(languages, previous);
        } catch (CellFailure e) {
            // The query's own error is what the user needs to see; a session that cannot even run SET is gone anyway.
        }
    }
}
