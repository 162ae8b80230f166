package io.hearth.engine.start;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes what the engine started, last started first, once, whether the main thread or a shutdown hook asks. */
public final class Closer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Closer.class);

    private record Entry(String name, AutoCloseable resource) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();

    public synchronized void register(String name, AutoCloseable resource) {
        entries.push(new Entry(name, resource));
    }

    @Override
    public synchronized void close() {
        while (!entries.isEmpty()) {
            Entry entry = entries.pop();
            try {
                entry.resource().close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", entry.name(), e.toString());
            }
        }
    }
}
