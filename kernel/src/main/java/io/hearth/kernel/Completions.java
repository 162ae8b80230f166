package io.hearth.kernel;

import com.google.gson.annotations.SerializedName;
import java.util.List;

/** The gateway's answer to {@code POST /sessions/{id}/completion}: candidates replacing code between the cursors. */
public record Completions(List<String> candidates, @SerializedName("cursor_start") int cursorStart,
                          @SerializedName("cursor_end") int cursorEnd) {

    public Completions {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** Nothing to offer at {@code cursor}. */
    public static Completions none(int cursor) {
        return new Completions(List.of(), cursor, cursor);
    }
}
