package io.hearth.kernel.livy;

import com.google.gson.JsonObject;
import com.google.gson.annotations.JsonAdapter;

/** The gateway's answer to {@code POST /sessions/{id}/inspect}: a MIME bundle when the name was found. */
public record RemoteInspection(boolean found, @JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data) {

    public static RemoteInspection notFound() {
        return new RemoteInspection(false, new JsonObject());
    }
}
