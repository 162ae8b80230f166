package io.hearth.kernel.livy;

import com.google.gson.annotations.SerializedName;
import java.util.List;

/** The gateway's answer to {@code POST /sessions/{id}/completion}: candidates replacing code between the cursors. */
public record RemoteCompletions(List<String> candidates, @SerializedName("cursor_start") int cursorStart,
                          @SerializedName("cursor_end") int cursorEnd) {

    public RemoteCompletions {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /**
     * Livy's answer, which has candidates but no cursors: they replace the dotted name before {@code cursor} when they
     * all extend it (Python's rlcompleter answers {@code spark.range}), else its last part ({@code range}).
     */
    public static RemoteCompletions withoutCursors(List<String> candidates, String code, int cursor) {
        // Jupyter's cursors count code points; the scan below counts chars.
        int end = code.offsetByCodePoints(0, Math.max(0, Math.min(cursor, code.codePointCount(0, code.length()))));
        int start = end;
        while (start > 0 && (Character.isJavaIdentifierPart(code.charAt(start - 1)) || code.charAt(start - 1) == '.')) {
            start--;
        }
        String dotted = code.substring(start, end);
        boolean wholeName = candidates != null && !candidates.isEmpty()
                && candidates.stream().allMatch(c -> c.startsWith(dotted));
        if (!wholeName) {
            start += dotted.lastIndexOf('.') + 1;
        }
        return new RemoteCompletions(candidates, code.codePointCount(0, start), code.codePointCount(0, end));
    }

    /** Nothing to offer at {@code cursor}. */
    public static RemoteCompletions none(int cursor) {
        return new RemoteCompletions(List.of(), cursor, cursor);
    }
}
