package io.hearth.gateway.channel;

/**
 * A session's channel secret. A record of its own so that it cannot end up in a log line, an exception message or a
 * {@code toString()} of a record that holds it by accident.
 */
public record SessionSecret(String value) {

    public SessionSecret {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a session secret must not be empty");
        }
    }

    @Override
    public String toString() {
        return "SessionSecret[****]";
    }
}
