package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SparkJob;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementState;
import io.hearth.gateway.session.StatementWarning;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementJsonTest {

    private final StatementJson json = new StatementJson(new GsonBuilder().serializeNulls().disableHtmlEscaping().create());

    @Test
    void livyTextIsStdoutThenTheResultWithoutStderrOrTrailingWhitespace() throws IOException {
        Statement st = finished(List.of(new Statement.StreamText("stdout", List.of("a", "\n")),
                new Statement.StreamText("stderr", "careful\n"), new Statement.StreamText("stdout", List.of("b\n", " \n"))),
                StatementOutput.ok(3, data("text/plain", "2")));

        JsonObject output = written(st).getAsJsonObject("output");

        assertEquals("ok", output.get("status").getAsString());
        assertEquals(3, output.get("execution_count").getAsInt());
        assertEquals("a\nb\n \n2", output.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void trailingWhitespaceGoesEvenAcrossPiecesAndTheResultsOtherRepresentationsComeFirst() throws IOException {
        JsonObject result = data("text/html", "<b>2</b>");
        result.addProperty("text/plain", "  \n");
        Statement st = finished(List.of(new Statement.StreamText("stdout", List.of("x\u2028\"y\"\\", "\t", "\n", " "))),
                StatementOutput.ok(1, result));
        String text = writtenText(st);
        assertTrue(text.contains("\"data\":{\"text/html\":\"<b>2</b>\",\"text/plain\":\"x\\u2028\\\"y\\\"\\\\\"}"),
                text);
    }

    @Test
    void theWholeStatementIsLivysShapePlusTheHearthObjectWithStreamsAndResultApart() throws IOException {
        Statement st = new Statement(4, "print('hi')\n2", Kind.PYSPARK, StatementState.AVAILABLE,
                List.of(new Statement.StreamText("stdout", List.of("h", "i\n"))), List.of(data("text/plain", "1")),
                StatementOutput.ok(0, data("text/plain", "2")), 1.0,
                List.of(new SparkJob(7, "SUCCEEDED", 1, 1, 2, 2, 0, 0)), 10, 20,
                List.of(new StatementWarning("executor-lost", "Lost executor 1 on 127.0.0.1: worker lost", 15)));
        assertEquals("{\"id\":4,\"code\":\"print('hi')\\n2\",\"state\":\"available\",\"output\":{\"status\":\"ok\","
                + "\"execution_count\":0,\"data\":{\"text/plain\":\"hi\\n2\"}},\"progress\":1.0,\"started\":10,"
                + "\"completed\":20,\"hearth\":{\"streams\":[{\"name\":\"stdout\",\"text\":\"hi\\n\"}],"
                + "\"displays\":[{\"data\":{\"text/plain\":\"1\"}}],\"jobs\":[{\"job_id\":7,\"status\":\"SUCCEEDED\","
                + "\"num_stages\":1,\"completed_stages\":1,\"num_tasks\":2,\"completed_tasks\":2,\"active_tasks\":0,"
                + "\"failed_tasks\":0}],\"warnings\":[{\"reason\":\"executor-lost\",\"message\":\"Lost executor 1 on"
                + " 127.0.0.1: worker lost\",\"at\":15}],\"data\":{\"text/plain\":\"2\"}}}", writtenText(st));
    }

    @Test
    void aStatementWithNoOutputHasEmptyTextLikeLivy() throws IOException {
        JsonObject output = written(finished(List.of(), StatementOutput.ok(0, new JsonObject()))).getAsJsonObject("output");
        assertEquals("", output.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void anImageResultWithNothingPrintedCarriesNoEmptyText() throws IOException {
        JsonObject output = written(finished(List.of(), StatementOutput.ok(0, data("image/png", "iVBOR"))))
                .getAsJsonObject("output");
        JsonObject d = output.getAsJsonObject("data");
        assertEquals("iVBOR", d.get("image/png").getAsString());
        assertFalse(d.has("text/plain"));
    }

    @Test
    void anErrorCarriesNameValueAndTracebackButNoData() throws IOException {
        JsonObject output = written(finished(List.of(new Statement.StreamText("stdout", "before\n")),
                StatementOutput.error(4, "ValueError", "boom", List.of("Traceback\n", "ValueError: boom\n"))))
                .getAsJsonObject("output");
        assertEquals("error", output.get("status").getAsString());
        assertEquals("ValueError", output.get("ename").getAsString());
        assertEquals("boom", output.get("evalue").getAsString());
        assertEquals(2, output.getAsJsonArray("traceback").size());
        assertFalse(output.has("data"));
    }

    @Test
    void aRunningStatementHasANullOutputButItsStreamsShow() throws IOException {
        Statement running = new Statement(0, "print(1)", Kind.PYSPARK, StatementState.RUNNING,
                List.of(new Statement.StreamText("stdout", "1\n")), List.of(), null, 0.5, List.of(), 10, 0, List.of());
        JsonObject view = written(running);
        assertTrue(view.get("output").isJsonNull());
        assertEquals("running", view.get("state").getAsString());
        assertEquals(1, view.getAsJsonObject("hearth").getAsJsonArray("streams").size());
        assertEquals(new JsonObject(), view.getAsJsonObject("hearth").getAsJsonObject("data"));
    }

    @Test
    void displaysShowInTheHearthObjectInOrderAndNotInLivysOutput() throws IOException {
        Statement st = new Statement(0, "display(1)", Kind.PYSPARK, StatementState.AVAILABLE, List.of(),
                List.of(data("text/plain", "1"), data("image/png", "iVBOR")),
                StatementOutput.ok(1, data("text/plain", "2")), 1.0, List.of(), 1, 2, List.of());
        JsonObject view = written(st);
        JsonArray displays = view.getAsJsonObject("hearth").getAsJsonArray("displays");
        assertEquals(data("text/plain", "1"), displays.get(0).getAsJsonObject().getAsJsonObject("data"));
        assertEquals(data("image/png", "iVBOR"), displays.get(1).getAsJsonObject().getAsJsonObject("data"));
        assertEquals(data("text/plain", "2"), view.getAsJsonObject("output").getAsJsonObject("data"));
    }

    @Test
    void everyControlCharacterSurvivesTheRoundTrip() throws IOException {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ud83c\udf5e");
        Statement st = finished(List.of(new Statement.StreamText("stdout", List.of(all.toString(), "end"))),
                StatementOutput.ok(0, new JsonObject()));
        JsonObject view = written(st);
        assertEquals(all + "end", view.getAsJsonObject("hearth").getAsJsonArray("streams").get(0).getAsJsonObject()
                .get("text").getAsString());
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        String text = writtenText(st);
        int start = text.indexOf("\"text\":") + "\"text\":".length();
        assertEquals(gson.toJson(all + "end"), text.substring(start, text.indexOf("}],\"displays\"")),
                "escaped as Gson escapes");
    }

    @Test
    void aListHasLivysTotalAndTheStatements() throws IOException {
        StringWriter out = new StringWriter();
        json.writeList(out, 5, List.of(finished(List.of(), StatementOutput.ok(0, new JsonObject()))).iterator());
        JsonObject list = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertEquals(5, list.get("total_statements").getAsInt());
        assertEquals(1, list.getAsJsonArray("statements").size());
    }

    private JsonObject written(Statement st) throws IOException {
        return JsonParser.parseString(writtenText(st)).getAsJsonObject();
    }

    private String writtenText(Statement st) throws IOException {
        StringWriter out = new StringWriter();
        json.write(out, st);
        return out.toString();
    }

    private static Statement finished(List<Statement.StreamText> streams, StatementOutput out) {
        return new Statement(0, "code", Kind.PYSPARK, StatementState.AVAILABLE, streams, List.of(), out, 1.0, List.of(),
                1, 2, List.of());
    }

    private static JsonObject data(String mime, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(mime, value);
        return o;
    }
}
