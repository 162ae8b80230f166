package io.hearth.engine.run;

import io.hearth.engine.interpreter.Outcome;
import java.util.Optional;

/**
 * How much output one statement may still return to the gateway: printed text, shown values and its result together,
 * in UTF-8 bytes, against the gateway's {@code hearth.statement.max-output}. Past the limit output is dropped but
 * counted, so that the statement can end saying how large its output was; once something was dropped, nothing
 * after it is sent, so what arrived is always a whole beginning. Thread-safe: output arrives from any thread.
 */
final class OutputBudget {

    /** The gateway setting that raises the limit, named in every message about it. */
    static final String SETTING = "hearth.statement.max-output";
    static final String SETTING_ENV = "HEARTH_STATEMENT_MAX_OUTPUT";

    private final long limit;
    private long offered;
    private long sent;
    /** Printed text or a shown value was dropped: nothing printed or shown after it goes. */
    private boolean dropped;
    /** The output was over the limit, if only by its result. */
    private boolean over;

    OutputBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** The part of {@code text} that fits, cut between characters; empty once anything was dropped. */
    synchronized String take(String text) {
        long size = OutputSize.utf8(text);
        offered += size;
        if (!dropped && size <= limit - sent) {
            sent += size;
            return text;
        }
        if (dropped) {
            return "";
        }
        dropped = true;
        over = true;
        String fits = text.substring(0, OutputSize.prefixChars(text, limit - sent));
        sent += OutputSize.utf8(fits);
        return fits;
    }

    /** Whether a shown value of {@code size} bytes may go; counted either way. */
    synchronized boolean takeValue(long size) {
        if (fits(size)) {
            return true;
        }
        dropped = true;
        return false;
    }

    /** Whether the statement's result, of {@code size} bytes, may go; counted either way. */
    synchronized boolean takeResult(long size) {
        return fits(size);
    }

    /** The interpreter kept back a result of {@code size} bytes, larger than the whole limit on its own. */
    synchronized void leftOut(long size) {
        offered += size;
        over = true;
    }

    private boolean fits(long size) {
        offered += size;
        if (!dropped && !over && size <= limit - sent) {
            sent += size;
            return true;
        }
        over = true;
        return false;
    }

    /** Said on stderr after the last output when printed or shown output was dropped, so the cut is never silent. */
    synchronized Optional<String> cutNotice() {
        if (!dropped) {
            return Optional.empty();
        }
        return Optional.of(String.format("%n[output cut after %s: the statement's output exceeded the limit of %s"
                + " per statement (%s)]%n", OutputSize.describe(sent), OutputSize.describe(limit), SETTING));
    }

    /** The error a statement whose output exceeded the limit ends with, instead of handing on part of it. */
    synchronized Optional<Outcome.Failure> overflow() {
        if (!over) {
            return Optional.empty();
        }
        return Optional.of(new Outcome.Failure("OutputTooLarge", "The statement returned " + OutputSize.describe(offered)
                + " of output (printed text, shown values and its result), more than the " + OutputSize.describe(limit)
                + " one statement may return. Return less (write a large result to a file or a table, or fetch it in"
                + " parts), or raise the gateway's " + SETTING + " (environment variable " + SETTING_ENV + ").",
                java.util.List.of()));
    }
}
