package io.hearth.engine.interpreter;

import com.google.gson.JsonObject;

/**
 * What an interpreter documents about the name at a cursor, the answer to an {@code Inspect}: a MIME bundle (Jupyter's
 * inspect_reply data), if anything.
 */
public record Documentation(boolean found, JsonObject data) {

    public Documentation {
        data = data == null ? new JsonObject() : data.deepCopy();
    }

    public static Documentation found(JsonObject data) {
        return new Documentation(true, data);
    }

    public static Documentation notFound() {
        return new Documentation(false, new JsonObject());
    }
}
