package io.hearth.engine.link;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * What the engine told the gateway about its recent statements, so that a gateway that restarted can be told again:
 * for each statement it received, when it started, what it printed and showed, and how it ended. Bounded to the last
 * {@link #MAX_STATEMENTS} statements and {@link #MAX_CHARS} characters of output (oldest statements go first). Not
 * thread-safe: {@link GatewayLink} guards it.
 */
final class StatementHistory {

    static final int MAX_STATEMENTS = 100;
    /** Each statement's output is already capped by the runner; this caps the sum, for an engine left alone long. */
    static final long MAX_CHARS = 32L * 1024 * 1024;

    /** One statement as the gateway last heard of it. */
    private static final class Entry {
        long startedAt;
        final List<String> streamNames = new ArrayList<>();
        final List<StringBuilder> streamTexts = new ArrayList<>();
        final List<JsonObject> displays = new ArrayList<>();
        ChannelMessage.StatementFinished finished;
        long chars;
    }

    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>();
    private long totalChars;

    /** The gateway sent this statement: from now on it is known, even before it starts. */
    void received(long statementId) {
        entries.computeIfAbsent(statementId, id -> new Entry());
        evict();
    }

    /** Notes a message the engine sends; messages about a statement the history no longer holds are not kept. */
    void record(ChannelMessage message) {
        if (message instanceof ChannelMessage.StatementStarted s) {
            entry(s.statementId()).ifPresent(e -> e.startedAt = s.startedAt());
        } else if (message instanceof ChannelMessage.Output o) {
            entry(o.statementId()).ifPresent(e -> append(e, o.stream(), o.text()));
        } else if (message instanceof ChannelMessage.Display d) {
            entry(d.statementId()).ifPresent(e -> e.displays.add(d.data()));
        } else if (message instanceof ChannelMessage.StatementFinished f) {
            entry(f.statementId()).ifPresent(e -> e.finished = f);
        }
    }

    /** Everything known of the statement, or empty if the engine never received it (or has forgotten it). */
    Optional<ChannelMessage.StatementReplay> replay(long statementId) {
        Entry e = entries.get(statementId);
        if (e == null) {
            return Optional.empty();
        }
        List<ChannelMessage.StreamChunk> streams = new ArrayList<>(e.streamNames.size());
        for (int i = 0; i < e.streamNames.size(); i++) {
            streams.add(new ChannelMessage.StreamChunk(e.streamNames.get(i), e.streamTexts.get(i).toString()));
        }
        return Optional.of(new ChannelMessage.StatementReplay(statementId, e.startedAt, streams, e.displays,
                e.finished));
    }

    private Optional<Entry> entry(long statementId) {
        return Optional.ofNullable(entries.get(statementId));
    }

    private void append(Entry e, String stream, String text) {
        int last = e.streamNames.size() - 1;
        if (last >= 0 && e.streamNames.get(last).equals(stream)) {
            e.streamTexts.get(last).append(text);
        } else {
            e.streamNames.add(stream);
            e.streamTexts.add(new StringBuilder(text));
        }
        e.chars += text.length();
        totalChars += text.length();
        evict();
    }

    private void evict() {
        Iterator<Entry> oldest = entries.values().iterator();
        // The newest statement stays whatever its size: it is the one a reconnecting gateway most likely asks for.
        while (entries.size() > 1 && (entries.size() > MAX_STATEMENTS || totalChars > MAX_CHARS)) {
            Entry e = oldest.next();
            totalChars -= e.chars;
            oldest.remove();
        }
    }
}
