package io.hearth.engine.python;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.engine.interpreter.Outcome;
import io.hearth.engine.interpreter.OutputListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outcome the Python driver reports: {@code {"status":"ok","data":{}}} or {@code {"status":"error",...}};
 * {@code "left_out": n} with an empty {@code data} says the value was n bytes, too large to send at all.
 */
final class OutcomeJson {

    private OutcomeJson() {
    }

    static Outcome parse(String json, OutputListener output) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            return new Outcome.Failure("HearthInternalError", "the Python driver sent an unreadable outcome: " + e,
                    List.of());
        }
        JsonElement leftOut = o.get("left_out");
        if (leftOut != null && leftOut.isJsonPrimitive()) {
            output.leftOut(leftOut.getAsLong());
        }
        if ("ok".equals(text(o, "status"))) {
            JsonElement data = o.get("data");
            return new Outcome.Result(data != null && data.isJsonObject() ? data.getAsJsonObject() : new JsonObject());
        }
        List<String> traceback = new ArrayList<>();
        JsonElement tb = o.get("traceback");
        if (tb != null && tb.isJsonArray()) {
            for (JsonElement line : (JsonArray) tb) {
                traceback.add(line.isJsonNull() ? "" : line.getAsString());
            }
        }
        String ename = text(o, "ename");
        return new Outcome.Failure(ename == null ? "Error" : ename, String.valueOf(text(o, "evalue")), traceback);
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
