package io.hearth.engine.link;

import io.hearth.protocol.ChannelMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * What the engine told the gateway about its recent statements, so that a gateway that restarted can be told again:
 * for each statement it received, when it started, what it printed and showed (the messages themselves, in order) and
 * how it ended. Bounded to the last {@link #MAX_STATEMENTS} statements and {@link #MAX_CHARS} characters of output
 * (oldest statements go first). Not thread-safe: {@link GatewayLink} guards it.
 */
final class StatementHistory {

    static final int MAX_STATEMENTS = 100;
    /** Each statement's output is already capped by the runner; this caps the sum, for an engine left alone long. */
    static final long MAX_CHARS = 32L * 1024 * 1024;

    /** One statement as the gateway last heard of it. */
    private static final class Entry {
        long startedAt;
        /** Its {@code Output} and {@code Display} messages as sent: small pieces, shared with nothing that changes. */
        final List<ChannelMessage> shown = new ArrayList<>();
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
            entry(o.statementId()).ifPresent(e -> {
                e.shown.add(o);
                e.chars += o.text().length();
                totalChars += o.text().length();
                evict();
            });
        } else if (message instanceof ChannelMessage.Display d) {
            entry(d.statementId()).ifPresent(e -> e.shown.add(d));
        } else if (message instanceof ChannelMessage.StatementFinished f) {
            entry(f.statementId()).ifPresent(e -> e.finished = f);
        }
    }

    /**
     * Everything known of the statement as the messages that tell it ({@code StatementReplay}, its output and shown
     * values in order, its end if it ended), or empty if the engine never received it (or has forgotten it).
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
