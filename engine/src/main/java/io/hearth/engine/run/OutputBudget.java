package io.hearth.engine.run;

import java.util.Locale;
import java.util.Optional;

/** How much more of one statement's printed output may still go to the gateway; thread-safe, as output arrives from any thread. */
final class OutputBudget {

    private final long limit;
    private long offered;

    OutputBudget(long limit) {
        this.limit = limit;
    }

    /** The part of {@code text} that fits; empty once the budget is spent. */
    synchronized String take(String text) {
        long room = Math.max(0, limit - offered);
        offered += text.length();
        return text.length() <= room ? text : text.substring(0, (int) room);
    }

    /** Said once at the end of a statement that printed more than the budget, so the cut is never silent. */
    synchronized Optional<String> truncationNotice() {
        if (offered <= limit) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "%n[output truncated: the statement printed %,d characters and only the first %,d are shown;"
                        + " write large output to a file instead]%n", offered, limit));
    }
}
