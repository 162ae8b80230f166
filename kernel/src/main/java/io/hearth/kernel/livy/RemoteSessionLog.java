package io.hearth.kernel.livy;

import java.util.List;

/** The answer of {@code GET /sessions/{id}/log}: a window of the session's log lines. */
public record RemoteSessionLog(int id, int from, int total, List<String> log) {

    /** The lines, never null. */
    public List<String> lines() {
        return log == null ? List.of() : log;
    }
}
