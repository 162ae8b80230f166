package io.hearth.kernel.livy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * Reads a MIME bundle field that may be {@code null}: Gson's built-in JsonObject adapter (which cannot be replaced
 * globally) rejects {@code "data": null}, which Livy sends while a statement runs. Used with {@code @JsonAdapter}.
 */
final class NullableJsonObjectAdapter extends TypeAdapter<JsonObject> {

    private final TypeAdapter<JsonElement> elements = new Gson().getAdapter(JsonElement.class);

    @Override
    public void write(JsonWriter out, JsonObject value) throws IOException {
        elements.write(out, value);
    }

    @Override
    public JsonObject read(JsonReader in) throws IOException {
        String path = in.getPath();
        JsonElement element = elements.read(in);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonObject()) {
            throw new JsonParseException("expected a JSON object at " + path + ", got " + element);
        }
        return element.getAsJsonObject();
    }
}
