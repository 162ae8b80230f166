package io.hearth.engine.sql;

import io.hearth.engine.interpreter.Completion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.SessionCatalog;
import org.apache.spark.sql.catalyst.util.SQLKeywordUtils;
import scala.jdk.javaapi.CollectionConverters;

/**
 * SQL completion from the session's catalog: keywords, functions, tables and views, and the columns of the tables the
 * statement names (or of {@code table.} before the cursor). Keywords are read once; functions, tables and columns at
 * every request, since temporary functions and views come and go.
 *
 * <p>Every source is a lookup in the session's catalog and registries, never a Dataset: the gateway waits 5 s for an
 * answer, and a Dataset ({@code sql_keywords()}, {@code spark.catalog().listTables()}) is planned, compiled and
 * collected, which took longer than that on a loaded machine, so Tab offered nothing. {@link #warm} pays the
 * catalog's one-time start-up before the first Tab needs it.
 */
final class SqlCompleter {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z_][\\w.]*$");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern NAMED_TABLE = Pattern.compile("(?i)\\b(?:from|join|table|into|update)\\s+([\\w.]+)");

    private final SparkSession spark;
    private List<String> keywords;

    SqlCompleter(SparkSession spark) {
        this.spark = spark;
    }

    Completion complete(String code, int cursor) {
        int at = code.offsetByCodePoints(0, Math.min(cursor, code.codePointCount(0, code.length())));
        Matcher m = TOKEN.matcher(code.substring(0, at));
        String token = m.find() ? m.group() : "";
        int start = cursor - token.codePointCount(0, token.length());
        if (token.isEmpty()) {
            return Completion.none(cursor);
        }
        Set<String> matches = new LinkedHashSet<>();
        int dot = token.lastIndexOf('.');
        if (dot > 0) {
            String table = token.substring(0, dot);
            String prefix = token.substring(dot + 1);
            for (String column : columnsOf(table)) {
                if (startsWith(column, prefix)) {
                    matches.add(table + "." + column);
                }
            }
            return new Completion(new ArrayList<>(matches), start, cursor);
        }
        for (String table : namedTables(code)) {
            columnsOf(table).stream().filter(c -> startsWith(c, token)).forEach(matches::add);
        }
        for (String table : tables()) {
            if (startsWith(table, token)) {
                matches.add(table);
            }
        }
        boolean upper = token.equals(token.toUpperCase(Locale.ROOT));
        keywords().stream().filter(k -> startsWith(k, token))
                .map(k -> upper ? k : k.toLowerCase(Locale.ROOT)).forEach(matches::add);
        functions().stream().filter(f -> startsWith(f, token)).forEach(matches::add);
        return new Completion(new ArrayList<>(matches), start, cursor);
    }

    /** The tables of the current database and the temporary views, from the catalog's own lists. */
    private List<String> tables() {
        SessionCatalog catalog = spark.sessionState().catalog();
        return CollectionConverters.asJava(catalog.listTables(catalog.getCurrentDatabase())).stream()
                .map(TableIdentifier::table).toList();
    }

    private List<String> columnsOf(String table) {
        try {
            TableIdentifier name = spark.sessionState().sqlParser().parseTableIdentifier(table);
            return List.of(spark.sessionState().catalog().getTempViewOrPermanentTableMetadata(name).schema()
                    .fieldNames());
        } catch (Exception e) { // not a table (yet): Scala throws AnalysisException undeclared
            return List.of();
        }
    }

    private static List<String> namedTables(String code) {
        List<String> tables = new ArrayList<>();
        Matcher m = NAMED_TABLE.matcher(code);
        while (m.find()) {
            tables.add(m.group(1));
        }
        return tables;
    }

    /** Loads what the first completion would otherwise load: the keywords, the function registry, the catalog. */
    void warm() {
        keywords();
        functions();
        tables();
    }

    private synchronized List<String> keywords() {
        if (keywords == null) {
            // What the sql_keywords() table function lists, read from where that function reads it, without a job.
            keywords = CollectionConverters.asJava(SQLKeywordUtils.keywords()).stream().sorted().distinct().toList();
        }
        return keywords;
    }

    /** Built-in and temporary functions; operators such as {@code +} are not names one types. */
    private List<String> functions() {
        List<String> names = new ArrayList<>();
        for (FunctionIdentifier f : CollectionConverters.asJava(spark.sessionState().functionRegistry().listFunction())) {
            if (FUNCTION_NAME.matcher(f.funcName()).matches()) {
                names.add(f.funcName());
            }
        }
        return names.stream().sorted().distinct().toList();
    }

    private static boolean startsWith(String candidate, String prefix) {
        return candidate.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
