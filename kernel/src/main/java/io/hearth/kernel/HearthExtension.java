package io.hearth.kernel;

import com.google.gson.JsonObject;
import com.google.gson.annotations.JsonAdapter;
import java.util.List;

/**
 * The {@code hearth} object a Hearth gateway adds to a statement (plain Livy servers have none): the printed
 * streams, which grow while the statement runs, and the result's MIME bundle alone.
 */
public record HearthExtension(List<StreamChunk> streams, @JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data) {

    /** The streams, never null. */
    public List<StreamChunk> streamsOrEmpty() {
        return streams == null ? List.of() : streams;
    }
}
