package io.hearth.engine.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.python.PythonSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code sql} statements through the runner, sharing one local SparkSession with the real Python interpreter. */
class SqlStatementsTest {

    private static PythonSession session;

    @BeforeAll
    static void startSession() throws Exception {
        session = new PythonSession();
    }

    @AfterAll
    static void stopSession() {
        if (session != null) {
            session.close();
        }
    }

    private static StatementOutput sql(String code) throws InterruptedException {
        return session.await(session.submit("sql", code)).finished().output();
    }

    private static JsonObject ok(String code) throws InterruptedException {
        StatementOutput out = sql(code);
        assertEquals("ok", out.status(), () -> out.ename() + ": " + out.evalue());
        return out.data();
    }

    @Test
    void queryGivesLivysSchemaAndDataPlusTextAndHtmlTables() throws Exception {
        JsonObject data = ok("SELECT id, CAST(id * 1.5 AS DOUBLE) AS half, concat('r', id) AS name FROM range(3)");
        JsonObject json = data.getAsJsonObject("application/json");
        JsonObject schema = json.getAsJsonObject("schema");
        assertEquals("struct", schema.get("type").getAsString());
        JsonArray fields = schema.getAsJsonArray("fields");
        assertEquals("id", fields.get(0).getAsJsonObject().get("name").getAsString());
        assertEquals("long", fields.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("[[0,0.0,\"r0\"],[1,1.5,\"r1\"],[2,3.0,\"r2\"]]", json.getAsJsonArray("data").toString());
        assertFalse(json.get("truncated").getAsBoolean());
        assertEquals("""
                +---+----+----+
                | id|half|name|
                +---+----+----+
                |  0| 0.0|  r0|
                |  1| 1.5|  r1|
                |  2| 3.0|  r2|
                +---+----+----+
                """, data.get("text/plain").getAsString());
        String html = data.get("text/html").getAsString();
        assertTrue(html.contains("<th>half</th>") && html.contains("<td>r2</td>"), html);
        assertFalse(html.contains("showing"), html);
    }

    @Test
    void moreRowsThanTheLimitAreCutAndEveryViewSaysSo() throws Exception {
        session.spark.conf().set(SqlInterpreter.MAX_ROWS_CONF, "5");
        try {
            JsonObject data = ok("SELECT * FROM range(100)");
            JsonObject json = data.getAsJsonObject("application/json");
            assertEquals(5, json.getAsJsonArray("data").size());
            assertTrue(json.get("truncated").getAsBoolean());
            assertTrue(data.get("text/plain").getAsString().endsWith("showing 5 of 5+ rows\n"),
                    data.get("text/plain").getAsString());
            assertTrue(data.get("text/html").getAsString().contains("showing 5 of 5+ rows"));

            JsonObject exactlyFive = ok("SELECT * FROM range(5)").getAsJsonObject("application/json");
            assertEquals(5, exactlyFive.getAsJsonArray("data").size());
            assertFalse(exactlyFive.get("truncated").getAsBoolean(), "five rows under a limit of five are all of them");
        } finally {
            session.spark.conf().unset(SqlInterpreter.MAX_ROWS_CONF);
        }
    }

    @Test
    void theLimitCanBeSetFromSqlItself() throws Exception {
        try {
            ok("SET hearth.sql.maxRows=2");
            assertTrue(ok("SELECT * FROM range(3)").getAsJsonObject("application/json").get("truncated").getAsBoolean());
            StatementOutput bad = sql("SET hearth.sql.maxRows=lots");
            assertEquals("ok", bad.status(), "SET itself stores any text");
            StatementOutput refused = sql("SELECT 1");
            assertEquals("IllegalArgumentException", refused.ename());
            assertTrue(refused.evalue().contains("hearth.sql.maxRows"), refused.evalue());
        } finally {
            session.spark.conf().unset(SqlInterpreter.MAX_ROWS_CONF);
        }
    }

    @Test
    void ddlAndCommandsGiveAnEmptyTable() throws Exception {
        JsonObject data = ok("CREATE OR REPLACE TEMPORARY VIEW ddl_view AS SELECT 1 AS one");
        JsonObject json = data.getAsJsonObject("application/json");
        assertEquals(0, json.getAsJsonArray("data").size());
        assertEquals(0, json.getAsJsonObject("schema").getAsJsonArray("fields").size());
        assertEquals("", data.get("text/plain").getAsString());
        assertEquals("[[1]]", ok("SELECT * FROM ddl_view").getAsJsonObject("application/json").get("data").toString());
    }

    @Test
    void aTempViewMadeInPythonIsQueryableFromSql() throws Exception {
        session.run("spark.createDataFrame([('ann', 3), ('bob', 5)], 'name string, n int')"
                + ".createOrReplaceTempView('people')");
        JsonObject json = ok("SELECT name FROM people WHERE n > 4").getAsJsonObject("application/json");
        assertEquals("[[\"bob\"]]", json.get("data").toString());
    }

    @Test
    void nestedAndSpecialValuesKeepTheirJsonTypes() throws Exception {
        JsonObject data = ok("SELECT NULL AS nothing, array(1, 2) AS arr, named_struct('a', 1, 'b', 'x') AS st,"
                + " map('k', 1) AS m, CAST(1.25 AS DECIMAL(5, 2)) AS dec, true AS flag, DATE'2024-02-29' AS day,"
                + " TIMESTAMP'2024-01-02 03:04:05' AS at, TIMESTAMP'2024-01-02 03:04:05.25' AS fine");
        assertEquals("[[null,[1,2],{\"a\":1,\"b\":\"x\"},{\"k\":1},1.25,true,\"2024-02-29\","
                + "\"2024-01-02 03:04:05\",\"2024-01-02 03:04:05.25\"]]",
                data.getAsJsonObject("application/json").get("data").toString());
        String text = data.get("text/plain").getAsString();
        assertTrue(text.contains("NULL") && text.contains("[1, 2]") && text.contains("{1, x}")
                && text.contains("{k -> 1}"), text);
    }

    @Test
    void htmlCellsAreEscaped() throws Exception {
        String html = ok("SELECT '<script>&' AS `a<b>`").get("text/html").getAsString();
        assertTrue(html.contains("<th>a&lt;b&gt;</th>") && html.contains("<td>&lt;script&gt;&amp;</td>"), html);
    }

    @Test
    void parseErrorIsAParseExceptionWithSparksMessageAndNoJavaStack() throws Exception {
        StatementOutput out = sql("SELEC 1");
        assertEquals("error", out.status());
        assertEquals("ParseException", out.ename());
        assertTrue(out.evalue().startsWith("[PARSE_SYNTAX_ERROR]"), out.evalue());
        assertFalse(String.join("", out.traceback()).contains("\tat "), out.traceback().toString());
    }

    @Test
    void missingTableIsAnAnalysisException() throws Exception {
        StatementOutput out = sql("SELECT * FROM no_such_table");
        assertEquals("AnalysisException", out.ename());
        assertTrue(out.evalue().contains("no_such_table"), out.evalue());
        assertFalse(out.evalue().contains("\tat "), out.evalue());
    }

    @Test
    void aFailingJobShowsTheUsersErrorNotTheExecutorsStack() throws Exception {
        StatementOutput out = sql("SELECT CAST(concat('x', id) AS INT) FROM range(3)");
        assertEquals("error", out.status());
        assertTrue(out.evalue().contains("CAST_INVALID_INPUT"), out.ename() + ": " + out.evalue());
        assertFalse(out.evalue().contains("\tat "), out.evalue());
    }

    @Test
    void cancellingARunningQueryStopsItsJobAndSqlGoesOn() throws Exception {
        session.run("import time\nspark.udf.register('nap', lambda x: time.sleep(60) or x, 'long')");
        long id = session.submit("sql", "SELECT nap(id) FROM range(2)");
        session.sink.await(id, ChannelMessage.StatementStarted.class, Duration.ofSeconds(30));
        Thread.sleep(1_000); // let the job start
        long start = System.nanoTime();
        session.runner.cancel(id);
        ChannelMessage.StatementFinished finished = session.await(id).finished();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("cancelled", finished.state());
        assertTrue(millis < 20_000, "took " + millis + " ms");
        assertEquals("[[1]]", ok("SELECT 1").getAsJsonObject("application/json").get("data").toString());
    }

    @Test
    void completionOffersKeywordsFunctionsTablesAndTheNamedTablesColumns() throws Exception {
        session.run("spark.createDataFrame([('Oslo', 3)], 'city string, quantity int').createOrReplaceTempView('bakery')");
        assertTrue(session.runner.complete("sql", "SEL", 3).matches().contains("SELECT"));
        assertTrue(session.runner.complete("sql", "sel", 3).matches().contains("select"));
        assertTrue(session.runner.complete("sql", "SELECT cou", 10).matches().contains("count"));
        assertTrue(session.runner.complete("sql", "SELECT * FROM bak", 17).matches().contains("bakery"));
        Completion columns = session.runner.complete("sql", "SELECT ci FROM bakery", 9);
        assertTrue(columns.matches().contains("city"), columns.toString());
        assertEquals(7, columns.cursorStart());
        assertEquals(java.util.List.of("bakery.quantity"), session.runner.complete("sql", "SELECT bakery.q", 15).matches());
        assertEquals(java.util.List.of(), session.runner.complete("sql", "SELECT nope.x", 13).matches());
    }
}
