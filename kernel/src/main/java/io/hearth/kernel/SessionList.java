package io.hearth.kernel;

import java.util.List;

/** The answer of {@code GET /sessions}: one page of the sessions the caller may see. */
public record SessionList(int from, int total, List<SessionDetails> sessions) {

    /** The sessions, never null. */
    public List<SessionDetails> sessionsOrEmpty() {
        return sessions == null ? List.of() : sessions;
    }
}
