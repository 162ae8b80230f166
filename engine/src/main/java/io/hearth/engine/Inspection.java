package io.hearth.engine;

import com.google.gson.JsonObject;

/** What an interpreter knows about the name at a cursor: a MIME bundle (Jupyter's inspect_reply data), if anything. */
public record Inspection(boolean found, JsonObject data) {

    public Inspection {
        data = data == null ? new JsonObject() : data.deepCopy();
    }

    public static Inspection found(JsonObject data) {
        return new Inspection(true, data);
    }

    public static Inspection notFound() {
        return new Inspection(false, new JsonObject());
    }
}
