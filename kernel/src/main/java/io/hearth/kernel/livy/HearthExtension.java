package io.hearth.kernel.livy;

import com.google.gson.JsonObject;
import com.google.gson.annotations.JsonAdapter;
import java.util.List;

/**
 * The {@code hearth} object a Hearth gateway adds to a statement (plain Livy servers have none): the printed
 * streams and the values shown with {@code display()}, both growing while the statement runs, and the result's MIME
 * bundle alone.
 */
public record HearthExtension(List<StreamChunk> streams, List<Display> displays,
                              @JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data) {

    /** One shown value: its MIME bundle, for a {@code display_data} message. */
    public record Display(@JsonAdapter(NullableJsonObjectAdapter.class) JsonObject data) {}

    /** The displays, never null (older gateways send none). */
    public List<Display> displaysOrEmpty() {
        return displays == null ? List.of() : displays;
    }

    /** The streams, never null. */
    public List<StreamChunk> streamsOrEmpty() {
        return streams == null ? List.of() : streams;
    }
}
