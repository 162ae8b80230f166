package io.hearth.engine.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.engine.CollectingSink;
import io.hearth.engine.RunRecord;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rich results of pyspark cells: MIME types from _repr_*_ methods, tables, figures, and display(). */
class PythonRichResultsTest {

    private static final String PNG_BASE64_START = "iVBORw0KGgo";

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

    private static JsonObject data(RunRecord run) {
        StatementOutput out = run.finished().output();
        assertEquals("ok", out.status(), () -> out.ename() + ": " + out.evalue() + "\n" + out.traceback());
        return out.data();
    }

    private static List<JsonObject> displays(RunRecord run) {
        return run.messages().stream().map(CollectingSink.Received::message)
                .filter(m -> m instanceof ChannelMessage.Display).map(m -> ((ChannelMessage.Display) m).data()).toList();
    }

    @Test
    void reprMethodsGiveTheirMimeTypesBesidesTextPlain() throws Exception {
        JsonObject data = data(session.run("""
                class Rich:
                    def __repr__(self): return 'Rich()'
                    def _repr_html_(self): return '<i>rich</i>'
                    def _repr_markdown_(self): return '*rich*'
                    def _repr_svg_(self): return '<svg></svg>'
                    def _repr_png_(self): return b'\\x89PNG'
                    def _repr_json_(self): return {'a': [1, 2]}
                    def _repr_latex_(self): return None
                Rich()"""));
        assertEquals("Rich()", data.get("text/plain").getAsString());
        assertEquals("<i>rich</i>", data.get("text/html").getAsString());
        assertEquals("*rich*", data.get("text/markdown").getAsString());
        assertEquals("<svg></svg>", data.get("image/svg+xml").getAsString());
        assertEquals("iVBORw==", data.get("image/png").getAsString());
        assertEquals("{\"a\":[1,2]}", data.get("application/json").toString());
        assertFalse(data.has("text/latex"), "a repr returning None gives no representation");
    }

    @Test
    void mimeBundleReprGivesItsTypesAndABrokenReprCostsOnlyItself() throws Exception {
        JsonObject data = data(session.run("""
                class Bundle:
                    def _repr_mimebundle_(self, include=None, exclude=None):
                        return {'text/plain': 'custom text', 'application/vnd.demo+json': {'x': 1}}
                    def _repr_html_(self): raise ValueError('broken')
                Bundle()"""));
        assertEquals("custom text", data.get("text/plain").getAsString());
        assertEquals("{\"x\":1}", data.get("application/vnd.demo+json").toString());
        assertFalse(data.has("text/html"));
    }

    @Test
    void pandasDataFrameGivesAnHtmlTable() throws Exception {
        JsonObject data = data(session.run("import pandas as pd\npd.DataFrame({'col': [1, 2]})"));
        assertTrue(data.get("text/html").getAsString().contains("<table"), data.toString());
        assertTrue(data.get("text/plain").getAsString().contains("col"), data.toString());
    }

    @Test
    void sparkDataFrameShowsItsFirstRowsAsHtmlAndTextTablesAndSaysWhenThereAreMore() throws Exception {
        JsonObject many = data(session.run("spark.range(25).toDF('n')"));
        String text = many.get("text/plain").getAsString();
        assertTrue(text.startsWith("+---+\n|  n|\n+---+\n|  0|\n"), text);
        assertTrue(text.contains("| 19|") && !text.contains("| 20|"), text);
        assertTrue(text.endsWith("showing first 20 rows\n"), text);
        String html = many.get("text/html").getAsString();
        assertTrue(html.contains("<td>19</td>") && !html.contains("<td>20</td>"), html);
        assertTrue(html.contains("showing first 20 rows"), html);

        JsonObject few = data(session.run("spark.range(3)"));
        assertFalse(few.get("text/plain").getAsString().contains("showing"), few.toString());

        JsonObject five = data(session.run("spark.conf.set('hearth.python.dataframeRows', '5')\nspark.range(25)"));
        session.run("spark.conf.unset('hearth.python.dataframeRows')");
        assertTrue(five.get("text/plain").getAsString().endsWith("showing first 5 rows\n"), five.toString());
    }

    @Test
    void aSparkDataFrameThatFailsWhenShownIsTheStatementsPysparkError() throws Exception {
        StatementOutput out = session.run("spark.range(2).selectExpr(\"CAST(concat('x', id) AS INT) AS bad\")")
                .finished().output();
        assertEquals("error", out.status());
        assertTrue(out.evalue().contains("CAST_INVALID_INPUT"), out.ename() + ": " + out.evalue());
        assertFalse(String.join("", out.traceback()).contains("hearth_python"), out.traceback().toString());
    }

    @Test
    void figuresDrawnInACellAreSentAsPngDisplaysAtItsEndAndClosed() throws Exception {
        RunRecord run = session.run("""
                import matplotlib.pyplot as plt
                plt.plot([1, 3, 2])
                plt.figure()
                plt.bar([1, 2], [3, 4])
                drawn = True""");
        assertEquals(0, data(run).size());
        List<JsonObject> shown = displays(run);
        assertEquals(2, shown.size(), shown.toString());
        for (JsonObject figure : shown) {
            assertTrue(figure.get("image/png").getAsString().startsWith(PNG_BASE64_START));
            assertTrue(figure.get("text/plain").getAsString().startsWith("<Figure"), figure.toString());
        }
        assertInstanceOf(ChannelMessage.StatementFinished.class, run.messages().get(run.messages().size() - 1).message());
        assertEquals("[]", session.run("plt.get_fignums()").textPlain());
        assertEquals("'agg'", session.run("import matplotlib\nmatplotlib.get_backend().lower()").textPlain());
    }

    @Test
    void matplotMagicMakesTheFigureTheResultAsInSparkmagic() throws Exception {
        RunRecord run = session.run("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n%matplot plt\n");
        assertTrue(data(run).get("image/png").getAsString().startsWith(PNG_BASE64_START), data(run).toString());
        assertEquals(0, displays(run).size(), "the figure is shown once");

        RunRecord middle = session.run("plt.plot([2, 1])\n%matplot plt\n'after'");
        assertEquals("'after'", middle.textPlain());
        assertEquals(1, displays(middle).size());
    }

    @Test
    void aFigureThatIsTheCellsValueIsItsResultAndNotShownTwice() throws Exception {
        RunRecord run = session.run("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nfig");
        assertTrue(data(run).get("image/png").getAsString().startsWith(PNG_BASE64_START));
        assertEquals(0, displays(run).size());
    }

    @Test
    void displayAnywhereInACellSendsEachObjectInOrderBetweenPrints() throws Exception {
        RunRecord run = session.run("""
                class Html:
                    def _repr_html_(self): return '<b>h</b>'
                print('before')
                display(1, 'two')
                print('between')
                display(Html())
                'last'""");
        List<String> sequence = run.messages().stream().map(CollectingSink.Received::message)
                .filter(m -> m instanceof ChannelMessage.Output || m instanceof ChannelMessage.Display)
                .map(m -> m instanceof ChannelMessage.Output o ? "out:" + o.text()
                        : "display:" + ((ChannelMessage.Display) m).data().get("text/plain").getAsString())
                .toList();
        assertEquals(List.of("out:before\n", "display:1", "display:'two'", "out:between\n",
                "display:" + displays(run).get(2).get("text/plain").getAsString()), sequence);
        assertEquals("<b>h</b>", displays(run).get(2).get("text/html").getAsString());
        assertEquals("'last'", run.textPlain());
    }

    @Test
    void clearOutputIsADisplayOfHearthsClearOutputTypeBetweenTheOthers() throws Exception {
        List<JsonObject> shown = displays(session.run("display('before')\nclear_output(wait=True)\ndisplay('after')"));
        assertEquals(3, shown.size(), shown::toString);
        assertEquals("'before'", shown.get(0).get("text/plain").getAsString());
        assertEquals("{\"wait\":true}", shown.get(1).get("application/vnd.hearth.clear-output+json").toString());
        assertEquals("'after'", shown.get(2).get("text/plain").getAsString());
    }
}
