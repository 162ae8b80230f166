package io.hearth.gateway.session;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finished statements, read from the {@link StateStore} when asked for, the most recently read (or just stored) kept in
 * memory up to a size ({@code hearth.statement.output-cache-size}): sessions may hold thousands of finished statements of megabytes
 * each, and only those being read should take the gateway's heap. Thread-safe; a read from the store happens outside
 * this object's lock, so a large one holds up nobody else's cached read.
 */
final class StatementArchive {

    /** A finished statement as read back: the statement and its events. */
    record Entry(Statement statement, List<StatementEvent> history) {}

    /** What one cached entry is guessed to take beyond its text: the objects around it. */
    private static final long ENTRY_OVERHEAD = 1024;
    private static final long EVENT_OVERHEAD = 96;

    private record Key(int sessionId, int statementId) {}

    private record Cached(Entry entry, long bytes) {}

    private final StateStore store;
    private final long maxBytes;
    // Guarded by this; in access order, least recently read first.
    private final LinkedHashMap<Key, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /** @param maxBytes the most memory the cached statements are estimated to take; 0 caches nothing */
    StatementArchive(StateStore store, long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** The statement whole; empty if the store does not have it (its session was just deleted). */
    Optional<Entry> get(int sessionId, int statementId) {
        Key key = new Key(sessionId, statementId);
        synchronized (this) {
            Cached hit = cache.get(key);
            if (hit != null) {
                return Optional.of(hit.entry());
            }
        }
        Optional<StateStore.StoredStatement> stored = store.loadStatement(sessionId, statementId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Entry entry = new Entry(stored.get().statement(), stored.get().history());
        // Text is two bytes a character at most; parsed JSON values (shown values, results) take more than their
        // text, which the per-event and per-entry allowances only roughly cover: an estimate, not a measure.
        long size = 2 * stored.get().chars() + EVENT_OVERHEAD * entry.history().size() + ENTRY_OVERHEAD;
        if (size <= maxBytes) {
            keep(key, new Cached(entry, size));
        }
        return Optional.of(entry);
    }

    /**
     * Keeps a statement the store has just taken whole, as the store would give it back: its own streams are about to
     * write its result, and would otherwise read it back at once (a query and a parse on every statement's reply path).
     */
    void keepStored(int sessionId, Statement st, List<StatementEvent> history) {
        long size = 2 * chars(st) + EVENT_OVERHEAD * history.size() + ENTRY_OVERHEAD;
        if (size <= maxBytes) {
            keep(new Key(sessionId, st.id()), new Cached(new Entry(st, history), size));
        }
    }

    /** About as many characters as the store holds of {@code st} (what {@link StateStore.StoredStatement#chars} counts). */
    private static long chars(Statement st) {
        long n = st.code() == null ? 0 : st.code().length();
        for (Statement.StreamText t : st.streams()) {
            for (String part : t.parts()) {
                n += part.length();
            }
        }
        for (JsonObject d : st.displays()) {
            n += chars(d);
        }
        if (st.output() != null) {
            n += chars(st.output().data()) + length(st.output().ename()) + length(st.output().evalue());
            if (st.output().traceback() != null) {
                for (String line : st.output().traceback()) {
                    n += length(line);
                }
            }
        }
        return n;
    }

    /** The characters of a JSON value's names and strings, plus a few for each value: its size without writing it. */
    private static long chars(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return 4;
        }
        if (e.isJsonPrimitive()) {
            return e.getAsJsonPrimitive().isString() ? e.getAsString().length() + 2 : 8;
        }
        long n = 2;
        if (e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                n += chars(item) + 1;
            }
            return n;
        }
        for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
            n += m.getKey().length() + 4 + chars(m.getValue());
        }
        return n;
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }

    private synchronized void keep(Key key, Cached cached) {
        Cached old = cache.put(key, cached);
        bytes += cached.bytes() - (old == null ? 0 : old.bytes());
        Iterator<Cached> eldest = cache.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            bytes -= eldest.next().bytes();
            eldest.remove();
        }
    }

    /** Drops what is cached of a deleted session. */
    synchronized void forget(int sessionId) {
        Iterator<Map.Entry<Key, Cached>> it = cache.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Cached> e = it.next();
            if (e.getKey().sessionId() == sessionId) {
                bytes -= e.getValue().bytes();
                it.remove();
            }
        }
    }

    /** How much the cached statements are estimated to take now. */
    synchronized long cachedBytes() {
        return bytes;
    }
}
