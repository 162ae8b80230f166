package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.google.gson.JsonObject;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementState;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class LivyViewsTest {

    @Test
    void livyTextIsStdoutThenTheResultWithoutStderrOrTrailingNewlines() {
        Statement st = finished(List.of(new Statement.StreamText("stdout", "a\n"),
                new Statement.StreamText("stderr", "careful\n"), new Statement.StreamText("stdout", "b\n")),
                StatementOutput.ok(3, data("text/plain", "2")));

        JsonObject output = LivyViews.livyOutput(st);

        assertEquals("ok", output.get("status").getAsString());
        assertEquals(3, output.get("execution_count").getAsInt());
        assertEquals("a\nb\n2", output.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void theHearthExtensionKeepsStreamsAndTheResultApart() {
        List<Statement.StreamText> streams = List.of(new Statement.StreamText("stdout", "hi\n"));
        LivyViews.StatementView view = LivyViews.statement(finished(streams, StatementOutput.ok(0, data("text/plain", "2"))));

        assertEquals(streams, view.hearth().streams());
        assertEquals(data("text/plain", "2"), view.hearth().data());
    }

    @Test
    void aStatementWithNoOutputHasEmptyTextLikeLivy() {
        JsonObject output = LivyViews.livyOutput(finished(List.of(), StatementOutput.ok(0, new JsonObject())));
        assertEquals("", output.getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void anImageResultWithNothingPrintedCarriesNoEmptyText() {
        JsonObject output = LivyViews.livyOutput(finished(List.of(), StatementOutput.ok(0, data("image/png", "iVBOR"))));
        JsonObject d = output.getAsJsonObject("data");
        assertEquals("iVBOR", d.get("image/png").getAsString());
        assertFalse(d.has("text/plain"));
    }

    @Test
    void anErrorCarriesNameValueAndTracebackButNoData() {
        JsonObject output = LivyViews.livyOutput(finished(List.of(new Statement.StreamText("stdout", "before\n")),
                StatementOutput.error(4, "ValueError", "boom", List.of("Traceback\n", "ValueError: boom\n"))));
        assertEquals("error", output.get("status").getAsString());
        assertEquals("ValueError", output.get("ename").getAsString());
        assertEquals("boom", output.get("evalue").getAsString());
        assertEquals(2, output.getAsJsonArray("traceback").size());
        assertFalse(output.has("data"));
    }

    @Test
    void aRunningStatementHasNoOutputYetButItsStreamsShow() {
        Statement running = new Statement(0, "print(1)", Kind.PYSPARK, StatementState.RUNNING,
                List.of(new Statement.StreamText("stdout", "1\n")), List.of(), null, 0.5, List.of(), 10, 0);
        LivyViews.StatementView view = LivyViews.statement(running);
        assertNull(view.output());
        assertEquals("running", view.state());
        assertEquals(1, view.hearth().streams().size());
        assertEquals(new JsonObject(), view.hearth().data());
    }

    @Test
    void displaysShowInTheHearthViewInOrderAndNotInLivysOutput() {
        Statement st = new Statement(0, "display(1)", Kind.PYSPARK, StatementState.AVAILABLE, List.of(),
                List.of(data("text/plain", "1"), data("image/png", "iVBOR")),
                StatementOutput.ok(1, data("text/plain", "2")), 1.0, List.of(), 1, 2);
        LivyViews.StatementView view = LivyViews.statement(st);
        assertEquals(List.of(new LivyViews.DisplayView(data("text/plain", "1")),
                new LivyViews.DisplayView(data("image/png", "iVBOR"))), view.hearth().displays());
        assertEquals(data("text/plain", "2"), view.output().getAsJsonObject("data"));
    }

    private static Statement finished(List<Statement.StreamText> streams, StatementOutput out) {
        return new Statement(0, "code", Kind.PYSPARK, StatementState.AVAILABLE, streams, List.of(), out, 1.0, List.of(),
                1, 2);
    }

    private static JsonObject data(String mime, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(mime, value);
        return o;
    }
}
