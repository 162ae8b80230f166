package io.hearth.kernel.livy;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/** How the gateway's JSON maps onto the kernel's records (one place, so tests parse exactly as the client does). */
public final class WireJson {

    // Gson instances are immutable and thread-safe once built.
    private static final Gson GSON = new Gson();

    private WireJson() {
    }

    /** Parses {@code json} into {@code type}; throws {@link JsonParseException} for malformed or empty input. */
    public static <T> T parse(String json, Class<T> type) {
        T parsed = GSON.fromJson(json, type);
        if (parsed == null) {
            throw new JsonParseException("empty body");
        }
        return parsed;
    }

    /** Serialises a request body. */
    public static String write(Object body) {
        return GSON.toJson(body);
    }
}
