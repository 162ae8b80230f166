package io.hearth.gateway.session;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finished statements, read from the {@link StateStore} when asked for, the most recently read kept in memory up to a
 * size ({@code hearth.statement.output-cache-size}): sessions may hold thousands of finished statements of megabytes
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
