package io.hearth.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines an engine printed (and the gateway's own notes about the session), bounded so that a chatty engine
 * cannot exhaust the gateway's memory. Thread-safe: the log pump writes while HTTP threads read.
 */
public final class SessionLog {

    /** A window of the retained lines: Livy's {@code {from, total, log}} without the session id. */
    public record Page(int from, int total, List<String> lines) {}

    private final int capacity;
    private final ArrayDeque<String> lines;

    public SessionLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public synchronized void append(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** The last {@code n} lines. */
    public synchronized List<String> tail(int n) {
        int skip = Math.max(0, lines.size() - n);
        return lines.stream().skip(skip).toList();
    }

    /**
     * Livy's log window: without {@code from}, the last {@code size} lines; a negative {@code size} means every line
     * from {@code from} on.
     */
    public synchronized Page page(Integer from, int size) {
        int total = lines.size();
        int start = from != null ? Math.max(0, Math.min(from, total))
                : size < 0 ? 0 : Math.max(0, total - size);
        int end = size < 0 ? total : (int) Math.min((long) start + size, total);
        return new Page(start, total, List.copyOf(new ArrayList<>(lines).subList(start, end)));
    }
}
