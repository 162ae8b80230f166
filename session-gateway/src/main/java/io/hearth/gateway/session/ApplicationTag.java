package io.hearth.gateway.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tag that names one launch of a session's engine on YARN ({@code spark.yarn.tags}), so that the gateway finds its
 * application while it waits for resources, before the engine can report it. Unique across gateways that share a
 * cluster (a random part), recognisable to an operator (the session id); lower case, as YARN keeps tags.
 */
record ApplicationTag(String value) {

    private static final String YARN_TAGS = "spark.yarn.tags";

    /** A new tag for session {@code sessionId}, if its Spark configuration {@code conf} runs it on YARN. */
    static Optional<ApplicationTag> forYarn(int sessionId, Map<String, String> conf) {
        if (!conf.getOrDefault("spark.master", "").startsWith("yarn")) {
            return Optional.empty();
        }
        return Optional.of(new ApplicationTag("hearth-session-" + sessionId + "-"
                + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** {@code conf} with this tag beside the tags it already gives the application. */
    Map<String, String> addTo(Map<String, String> conf) {
        Map<String, String> tagged = new LinkedHashMap<>(conf);
        tagged.merge(YARN_TAGS, value, (theirs, ours) -> theirs.isBlank() ? ours : theirs + "," + ours);
        return tagged;
    }
}
