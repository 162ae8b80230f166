package io.hearth.gateway.session;

/**
 * How a session got its engine: {@code warm} (a pooled engine, already started), {@code warming} (a pooled engine still
 * starting, taken instead of launching a second one beside it) or {@code cold} (launched for it), and how long from its
 * {@code POST} to {@code idle}; {@code millis} is null while it starts.
 */
public record SessionStart(Mode mode, Long millis) {

    /** Where the engine came from. */
    public enum Mode {
        WARM, WARMING, COLD;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The mode of its wire name, as the state store keeps it. */
        public static Mode of(String wireName) {
            return valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A cold start still under way. */
    static SessionStart coldStarting() {
        return new SessionStart(Mode.COLD, null);
    }
}
