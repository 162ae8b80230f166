package io.hearth.kernel.livy;

import java.util.List;
import java.util.Set;

/**
 * A statement as {@code GET /sessions/{id}/statements/{sid}} returns it: Livy's fields plus Hearth's optional
 * {@code hearth} extension.
 */
public record RemoteStatement(int id, String code, String state, StatementOutput output, double progress, HearthExtension hearth) {

    // Livy's code has no "error" statement state (a failure is "available" with an error output); a gateway that
    // reports one anyway has finished too.
    private static final Set<String> FINISHED = Set.of("available", "cancelled", "error");

    /** True when the statement will not change any more. */
    public boolean isFinished() {
        return FINISHED.contains(state);
    }

    /** True when the statement was cancelled before it finished. */
    public boolean isCancelled() {
        return "cancelled".equals(state);
    }

    /** The values shown so far, in order; empty for a plain Livy server. */
    public List<HearthExtension.Display> displays() {
        return hearth == null ? List.of() : hearth.displaysOrEmpty();
    }

    /** The printed streams so far; empty for a plain Livy server. */
    public List<StreamChunk> streams() {
        return hearth == null ? List.of() : hearth.streamsOrEmpty();
    }
}
