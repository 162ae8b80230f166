package io.hearth.kernel.display;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Makes a result's MIME bundle showable in Jupyter: Livy's table type gets an HTML rendering beside it. */
public final class ResultBundles {

    /** Livy's SQL result type: {@code {"headers": [{"name", "type"}], "data": [[...]]}}. */
    public static final String LIVY_TABLE = "application/vnd.livy.table.v1+json";

    private ResultBundles() {
    }

    /** {@code data} with {@code text/html} added for a Livy table that has none; everything else passes as it is. */
    public static JsonObject showable(JsonObject data) {
        JsonElement table = data.get(LIVY_TABLE);
        if (table == null || !table.isJsonObject() || data.has("text/html")) {
            return data;
        }
        JsonObject result = data.deepCopy();
        result.addProperty("text/html", html(table.getAsJsonObject()));
        return result;
    }

    private static String html(JsonObject table) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        if (table.has("headers") && table.get("headers").isJsonArray()) {
            for (JsonElement header : table.getAsJsonArray("headers")) {
                String name = header.isJsonObject() && header.getAsJsonObject().has("name")
                        ? header.getAsJsonObject().get("name").getAsString() : String.valueOf(header);
                html.append("<th>").append(Html.escape(name)).append("</th>");
            }
        }
        html.append("</tr></thead><tbody>");
        if (table.has("data") && table.get("data").isJsonArray()) {
            for (JsonElement row : table.getAsJsonArray("data")) {
                html.append("<tr>");
                if (row.isJsonArray()) {
                    for (JsonElement cell : row.getAsJsonArray()) {
                        String text = cell.isJsonNull() ? "null"
                                : cell.isJsonPrimitive() ? cell.getAsString() : cell.toString();
                        html.append("<td>").append(Html.escape(text)).append("</td>");
                    }
                }
                html.append("</tr>");
            }
        }
        return html.append("</tbody></table>").toString();
    }
}
