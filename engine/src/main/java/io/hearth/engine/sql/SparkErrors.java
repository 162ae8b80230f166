package io.hearth.engine.sql;

import io.hearth.engine.interpreter.Outcome;
import java.util.List;
import org.apache.spark.SparkThrowable;

/** Turns an exception from Spark into what a notebook user should read: Spark's own name and message, no JVM stack. */
final class SparkErrors {

    private SparkErrors() {
    }

    static Outcome.Failure describe(Throwable thrown) {
        Throwable shown = meaningful(thrown);
        String ename = publicName(shown.getClass());
        String evalue = withoutStack(String.valueOf(shown.getMessage()));
        return new Outcome.Failure(ename, evalue, List.of(ename + ": " + evalue + "\n"));
    }

    /**
     * A failed job surfaces as a SparkException "Job aborted..." wrapping the error the user caused (DIVIDE_BY_ZERO,
     * CAST_INVALID_INPUT, ...): the first exception in the chain that carries a Spark error condition says it best.
     */
    private static Throwable meaningful(Throwable thrown) {
        int depth = 0;
        for (Throwable t = thrown; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SparkThrowable st && st.getCondition() != null) {
                return t;
            }
        }
        return thrown;
    }

    /**
     * Spark throws internal subclasses such as ExtendedAnalysisException (it carries the plan); users know, and
     * PySpark reports, the public AnalysisException.
     */
    private static String publicName(Class<?> type) {
        Class<?> c = type;
        while (c.getSimpleName().startsWith("Extended") && c.getSuperclass() != null) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    /** Job failures embed the executor's stack trace in the message itself; the user's part ends before it. */
    private static String withoutStack(String message) {
        StringBuilder kept = new StringBuilder();
        for (String line : message.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("at ") && line.startsWith("\t") || trimmed.startsWith("Driver stacktrace:")) {
                break;
            }
            kept.append(line).append('\n');
        }
        return kept.toString().strip(); // ParseException's message starts with a blank line
    }
}
