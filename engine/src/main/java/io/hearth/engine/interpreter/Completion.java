package io.hearth.engine.interpreter;

import java.util.List;

/** Completion candidates for code at a cursor: each match replaces the code between cursorStart and cursorEnd (code points). */
public record Completion(List<String> matches, int cursorStart, int cursorEnd) {

    public Completion {
        matches = List.copyOf(matches);
    }

    /** Nothing to offer. */
    public static Completion none(int cursor) {
        return new Completion(List.of(), cursor, cursor);
    }
}
