package io.hearth.kernel.jupyter;

import com.google.gson.JsonArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cells this kernel ran with {@code store_history}, for {@code history_request} (tail, range, search). One
 * kernel process is one history session, numbered {@link #SESSION}; nothing is kept across restarts.
 */
public final class HistoryLog {

    /** The session number of this kernel's cells. */
    public static final int SESSION = 1;

    private record Entry(int line, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>(); // guarded by this

    /** Records the cell numbered {@code line}; {@code output} is its result's text, or null. */
    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(line, input, output));
    }

    /** The last {@code n} cells. */
    public synchronized JsonArray tail(int n, boolean output) {
        return toJson(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()), output);
    }

    /** The cells of {@code session} (0: this one) numbered {@code start} up to, not including, {@code stop} (0: all). */
    public synchronized JsonArray range(int session, int start, int stop, boolean output) {
        List<Entry> found = new ArrayList<>();
        if (session == 0 || session == SESSION) {
            for (Entry e : entries) {
                if (e.line() >= start && (stop <= 0 || e.line() < stop)) {
                    found.add(e);
                }
            }
        }
        return toJson(found, output);
    }

    /**
     * The last {@code n} (0: all) cells whose whole input matches the glob {@code pattern} ({@code *}, {@code ?}),
     * as IPython's search does; {@code unique} keeps only the latest of equal inputs.
     */
    public synchronized JsonArray search(String pattern, int n, boolean unique, boolean output) {
        Pattern regex = glob(pattern);
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries) {
            if (regex.matcher(e.input()).matches()) {
                found.add(e);
            }
        }
        if (unique) {
            Map<String, Entry> latest = new LinkedHashMap<>();
            for (Entry e : found) {
                latest.remove(e.input());
                latest.put(e.input(), e);
            }
            found = new ArrayList<>(latest.values());
        }
        if (n > 0 && found.size() > n) {
            found = found.subList(found.size() - n, found.size());
        }
        return toJson(found, output);
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static JsonArray toJson(List<Entry> found, boolean output) {
        JsonArray history = new JsonArray();
        for (Entry e : found) {
            JsonArray row = new JsonArray();
            row.add(SESSION);
            row.add(e.line());
            if (output) {
                JsonArray pair = new JsonArray();
                pair.add(e.input());
                pair.add(e.output());
                row.add(pair);
            } else {
                row.add(e.input());
            }
            history.add(row);
        }
        return history;
    }
}
