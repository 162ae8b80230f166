package io.hearth.kernel.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/** One Jupyter message: the routing identities, its four JSON parts and any binary buffers. */
public record JupyterMessage(List<byte[]> identities, JsonObject header, JsonObject parentHeader,
                             JsonObject metadata, JsonObject content, List<byte[]> buffers) {

    /** The header's {@code msg_type}, or "" when it has none. */
    public String type() {
        return text(header, "msg_type");
    }

    /** The header's {@code msg_id}, or "" when it has none. */
    public String id() {
        return text(header, "msg_id");
    }

    /** A boolean field of the content, {@code fallback} when absent or not a boolean. */
    public boolean flag(String name, boolean fallback) {
        JsonElement e = content.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : fallback;
    }

    /** A string field of the content, "" when absent. */
    public String text(String name) {
        return text(content, name);
    }

    /** An integer field of the content, {@code fallback} when absent or not a number. */
    public int number(String name, int fallback) {
        JsonElement e = content.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsInt() : fallback;
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }
}
