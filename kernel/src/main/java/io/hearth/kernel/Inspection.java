package io.hearth.kernel;

import com.google.gson.JsonObject;
import com.google.gson.annotations.JsonAdapter;

/** The gateway's answer to {@code POST /sessions/{id}/inspect}: a MIME bundle when the name was found. */
public record Inspection(boolean found, @JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data) {

    public static Inspection notFound() {
        return new Inspection(false, new JsonObject());
    }
}
