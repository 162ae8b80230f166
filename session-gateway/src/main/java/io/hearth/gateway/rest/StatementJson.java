package io.hearth.gateway.rest;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.gateway.session.JsonText;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import io.hearth.gateway.session.Statement;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Livy's statement JSON, {@code {id, code, state, output, progress, started, completed}}, plus the {@code hearth}
 * object Livy clients ignore, written straight to a response. A statement's output can be tens of megabytes: its
 * printed text is written from the pieces it arrived in and its result and shown values from the objects the statement
 * holds, never joined or copied into one string first.
 *
 * <p>For a success, {@code output.data["text/plain"]} is what a Livy user would see: everything printed on stdout,
 * then the result's text on its own line (where Livy's Python display hook put it), trailing whitespace removed; it is
 * left out only when it would be empty and the result has other representations (an image, HTML). Unlike Livy, stderr
 * is left out: sparkmagic's {@code %%sql} parses every line of this text as a JSON row, and pyspark 4 warns on stderr
 * about the very {@code toJSON} call it makes. stderr stays in the {@code hearth} streams. {@code hearth} holds the
 * printed streams as they grow, the values shown while it ran (in order), its Spark jobs, what held it up (warnings)
 * and the result bundle alone.
 */
final class StatementJson {

    private final Gson gson;

    /** @param gson writes the small parts; it must serialize nulls, as Livy writes them */
    StatementJson(Gson gson) {
        this.gson = gson;
    }

    /** {@code GET /sessions/{id}/statements}: {@code {total_statements, statements}}, each written as it comes. */
    void writeList(Writer out, int total, Iterator<Statement> statements) throws IOException {
        out.write("{\"total_statements\":" + total + ",\"statements\":[");
        boolean first = true;
        while (statements.hasNext()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            write(out, statements.next());
        }
        out.write("]}");
    }

    void write(Writer out, Statement st) throws IOException {
        out.write("{\"id\":" + st.id() + ",\"code\":");
        gson.toJson(st.code(), out);
        out.write(",\"state\":");
        gson.toJson(st.state().wireName(), out);
        out.write(",\"output\":");
        writeLivyOutput(out, st);
        out.write(",\"progress\":");
        gson.toJson(st.progress(), out);
        out.write(",\"started\":" + st.started() + ",\"completed\":" + st.completed() + ",\"hearth\":{\"streams\":[");
        List<Statement.StreamText> streams = st.streams();
        for (int i = 0; i < streams.size(); i++) {
            out.write(i > 0 ? ",{\"name\":" : "{\"name\":");
            gson.toJson(streams.get(i).name(), out);
            out.write(",\"text\":");
            JsonText.write(out, streams.get(i).parts());
            out.write('}');
        }
        out.write("],\"displays\":[");
        for (int i = 0; i < st.displays().size(); i++) {
            out.write(i > 0 ? ",{\"data\":" : "{\"data\":");
            gson.toJson(st.displays().get(i), out);
            out.write('}');
        }
        out.write("],\"jobs\":");
        gson.toJson(st.jobs().stream().map(LivyViews.JobView::of).toList(), out);
        out.write(",\"warnings\":");
        gson.toJson(st.warnings(), out);
        out.write(",\"data\":");
        StatementOutput o = st.output();
        gson.toJson(o != null && !o.isError() && o.data() != null ? o.data() : new JsonObject(), out);
        out.write("}}");
    }

    private void writeLivyOutput(Writer out, Statement st) throws IOException {
        StatementOutput o = st.output();
        if (o == null) {
            out.write("null");
            return;
        }
        out.write("{\"status\":");
        gson.toJson(o.status(), out);
        out.write(",\"execution_count\":" + o.executionCount());
        if (o.isError()) {
            out.write(",\"ename\":");
            gson.toJson(o.ename(), out);
            out.write(",\"evalue\":");
            gson.toJson(o.evalue(), out);
            out.write(",\"traceback\":");
            gson.toJson(o.traceback() == null ? List.of() : o.traceback(), out);
            out.write('}');
            return;
        }
        JsonObject data = o.data() == null ? new JsonObject() : o.data();
        out.write(",\"data\":{");
        boolean first = true;
        for (Map.Entry<String, JsonElement> e : data.entrySet()) {
            if (e.getKey().equals("text/plain")) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            gson.toJson(e.getKey(), out);
            out.write(':');
            gson.toJson(e.getValue(), out);
        }
        LivyText text = LivyText.of(st.streams(), data.get("text/plain"));
        if (!text.isEmpty() || first) {
            out.write(first ? "\"text/plain\":" : ",\"text/plain\":");
            text.write(out);
        }
        out.write("}}");
    }

    /** stdout, then the result text on its own line, trailing whitespace removed: pieces and where they end. */
    record LivyText(List<String> pieces, int endPiece, int endChars) {

        static LivyText of(List<Statement.StreamText> streams, JsonElement resultText) {
            List<String> pieces = new ArrayList<>();
            for (Statement.StreamText s : streams) {
                if ("stdout".equals(s.name())) {
                    pieces.addAll(s.parts());
                }
            }
            if (resultText != null && !resultText.isJsonNull()) {
                pieces.add(resultText.isJsonPrimitive() ? resultText.getAsString() : resultText.toString());
            }
            // As String.stripTrailing: whitespace at the end goes, across piece boundaries.
            for (int i = pieces.size() - 1; i >= 0; i--) {
                String p = pieces.get(i);
                int end = p.length();
                while (end > 0 && Character.isWhitespace(p.charAt(end - 1))) {
                    end--;
                }
                if (end > 0) {
                    return new LivyText(pieces, i, end);
                }
            }
            return new LivyText(pieces, 0, 0);
        }

        boolean isEmpty() {
            return endPiece == 0 && endChars == 0;
        }

        void write(Writer out) throws IOException {
            JsonText.write(out, pieces, endPiece, endChars);
        }
    }
}
