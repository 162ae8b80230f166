package io.hearth.kernel.livy;

import java.util.List;

/** The answer of {@code GET /sessions}: one page of the sessions the caller may see. */
public record RemoteSessionPage(int from, int total, List<RemoteSession> sessions) {

    /** The sessions, never null. */
    public List<RemoteSession> sessionsOrEmpty() {
        return sessions == null ? List.of() : sessions;
    }
}
