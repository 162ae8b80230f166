package io.hearth.engine.link;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine told the gateway about its statements, so that a gateway that restarted can be told again: for each
 * statement it received, when it started, what it printed and showed (the messages themselves, in order) and how it
 * ended. A statement stays until the gateway says it has stored its end ({@link ChannelMessage.StatementsStored}, or
 * by not asking for it in a resync): a statement forgotten earlier would be sent again by a restarted gateway and run
 * twice. Memory is bounded by output instead: past {@link #MAX_CHARS} characters, the oldest finished statements'
 * output is replaced by a note saying it was dropped (their ends stay). Not thread-safe: {@link GatewayLink} guards it.
 */
final class StatementHistory {

    /** Each statement's output is already capped by the runner; this caps the sum, for a gateway away long. */
    static final long MAX_CHARS = 32L * 1024 * 1024;
    /** What a trimmed error keeps of its value: enough to say what went wrong. */
    private static final int NOTE_CHARS = 1000;

    /** One statement as the gateway last heard of it. */
    private static final class Entry {
        long startedAt;
        /** Its {@code Output} and {@code Display} messages as sent: small pieces, shared with nothing that changes. */
        final List<ChannelMessage> shown = new ArrayList<>();
        ChannelMessage.StatementFinished finished;
        long chars;
        boolean trimmed;
    }

    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>();
    private long totalChars;

    /** The gateway sent this statement: from now on it is known, even before it starts. */
    void received(long statementId) {
        entries.computeIfAbsent(statementId, id -> new Entry());
    }

    /** Notes a message the engine sends; messages about a statement the history does not hold are not kept. */
    void record(ChannelMessage message) {
        if (message instanceof ChannelMessage.StatementStarted s) {
            entry(s.statementId()).ifPresent(e -> e.startedAt = s.startedAt());
        } else if (message instanceof ChannelMessage.Output o) {
            entry(o.statementId()).ifPresent(e -> {
                e.shown.add(o);
                count(e, o.text().length());
            });
        } else if (message instanceof ChannelMessage.Display d) {
            entry(d.statementId()).ifPresent(e -> {
                e.shown.add(d);
                count(e, d.data().toString().length());
            });
        } else if (message instanceof ChannelMessage.StatementFinished f) {
            entry(f.statementId()).ifPresent(e -> {
                e.finished = f;
                count(e, size(f.output()));
                trimOldestFinished();
            });
        }
    }

    /** The gateway has stored these statements' ends: finished ones are forgotten. */
    void stored(Collection<Long> statementIds) {
        for (long id : statementIds) {
            Entry e = entries.get(id);
            if (e != null && e.finished != null) {
                forget(id);
            }
        }
    }

    /**
     * A resync asked for {@code asked}: a finished statement it did not name is stored by the gateway (it asks for every
     * statement whose end it has not stored), so it is forgotten.
     */
    void resynced(Collection<Long> asked) {
        Set<Long> named = new HashSet<>(asked);
        List<Long> known = entries.entrySet().stream()
                .filter(e -> e.getValue().finished != null && !named.contains(e.getKey())).map(Map.Entry::getKey)
                .toList();
        known.forEach(this::forget);
    }

    /** How many statements the history holds. */
    int size() {
        return entries.size();
    }

    /**
     * Everything known of the statement as the messages that tell it ({@code StatementReplay}, its output and shown
     * values in order, its end if it ended), or empty if the engine never received it (or the gateway stored its end).
     */
    Optional<List<ChannelMessage>> replay(long statementId) {
        Entry e = entries.get(statementId);
        if (e == null) {
            return Optional.empty();
        }
        List<ChannelMessage> messages = new ArrayList<>(e.shown.size() + 2);
        messages.add(new ChannelMessage.StatementReplay(statementId, e.startedAt));
        messages.addAll(e.shown);
        if (e.finished != null) {
            messages.add(e.finished);
        }
        return Optional.of(messages);
    }

    private Optional<Entry> entry(long statementId) {
        return Optional.ofNullable(entries.get(statementId));
    }

    private void count(Entry e, long chars) {
        e.chars += chars;
        totalChars += chars;
    }

    private static long size(StatementOutput out) {
        if (out == null) {
            return 0;
        }
        if (out.isError()) {
            return out.evalue().length() + out.traceback().stream().mapToLong(String::length).sum();
        }
        return out.data() == null ? 0 : out.data().toString().length();
    }

    private static String cut(String text) {
        return text == null || text.length() <= NOTE_CHARS ? text : text.substring(0, NOTE_CHARS) + "...";
    }

    private void forget(long statementId) {
        Entry e = entries.remove(statementId);
        totalChars -= e.chars;
    }

    /**
     * Over the bound, the oldest finished statements lose their output to a note, oldest first; a statement not yet
     * finished keeps all of its (the runner caps it), since it is the one a reconnecting gateway must see whole.
     */
    private void trimOldestFinished() {
        Iterator<Map.Entry<Long, Entry>> oldest = entries.entrySet().iterator();
        while (totalChars > MAX_CHARS && oldest.hasNext()) {
            Map.Entry<Long, Entry> next = oldest.next();
            Entry e = next.getValue();
            if (e.finished == null || e.trimmed) {
                continue;
            }
            String note = String.format(Locale.ROOT, "[hearth] the engine dropped this statement's output (%,d "
                    + "characters) while the gateway was away: it held more than %,d characters of output\n",
                    e.chars, MAX_CHARS);
            e.shown.clear();
            e.shown.add(new ChannelMessage.Output(next.getKey(), "stderr", note));
            StatementOutput out = e.finished.output();
            StatementOutput kept = out;
            if (out != null && out.isError()) {
                kept = StatementOutput.error(out.executionCount(), out.ename(), cut(out.evalue()), List.of(note));
            } else if (out != null && out.data() != null && out.data().size() > 0) {
                JsonObject data = new JsonObject();
                data.addProperty("text/plain", note.strip());
                kept = StatementOutput.ok(out.executionCount(), data);
            }
            e.finished = new ChannelMessage.StatementFinished(e.finished.statementId(), e.finished.state(), kept,
                    e.finished.completedAt());
            totalChars -= e.chars;
            e.chars = note.length();
            totalChars += e.chars;
            e.trimmed = true;
        }
    }
}
