package io.hearth.engine.start;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The durations of an engine's start, in the order they were recorded, logged as one line ({@code start phases:
 * jvm=412ms spark=2210ms ...}) that {@code bin/hearth bench phases} reads from session logs. Phases recorded on other
 * threads (Python's attach runs beside Spark's start) overlap the main thread's.
 */
public final class StartPhases {

    private final Map<String, Long> millis = new LinkedHashMap<>();

    /** Records a phase from {@code fromNanos} to {@code toNanos} ({@link System#nanoTime()} readings). */
    public synchronized void record(String phase, long fromNanos, long toNanos) {
        millis.put(phase, TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos));
    }

    /** Records a phase measured elsewhere, in milliseconds. */
    public synchronized void recordMillis(String phase, long phaseMillis) {
        millis.put(phase, phaseMillis);
    }

    /** The log line, {@code start phases: name=Nms ...}. */
    public synchronized String line() {
        StringJoiner line = new StringJoiner(" ", "start phases: ", "");
        millis.forEach((phase, ms) -> line.add(phase + "=" + ms + "ms"));
        return line.toString();
    }
}
