package io.hearth.protocol;

/**
 * The key a gateway gives an engine in the {@code Welcome} of its first accepted connection. The engine keeps it in
 * memory only and proves it, beside the session's secret, on every later connection: so a reconnection shows it comes
 * from the engine that connected first, which a copy of the secret alone (read from a launch's environment, say) does
 * not. A record of its own so that it cannot end up in a log line or a {@code toString()} by accident.
 */
public record LinkKey(String value) {

    public LinkKey {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a link key must not be empty");
        }
    }

    @Override
    public String toString() {
        return "LinkKey[****]";
    }
}
