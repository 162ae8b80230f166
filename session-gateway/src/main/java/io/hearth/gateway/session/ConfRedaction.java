package io.hearth.gateway.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Spark settings hold secrets (storage keys, passwords, tokens) and how they are shown back: the engine gets
 * them, no API answer carries them, and the state store keeps them encrypted. Keys are matched as Spark 4.2.0's default
 * {@code spark.redaction.regex} ({@code (?i)secret|password|token|access[.]?key}) matches them, plus
 * {@code credential}.
 */
public final class ConfRedaction {

    public static final String REDACTED = "*********(redacted)";

    private static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|token|access[.]?key|credential");

    private ConfRedaction() {
    }

    /** True for a key whose value is a secret. */
    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).find();
    }

    /** {@code conf} with the value of every secret-looking key replaced by {@link #REDACTED}; null stays null. */
    public static Map<String, String> redact(Map<String, String> conf) {
        if (conf == null) {
            return null;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        conf.forEach((k, v) -> shown.put(k, isSecret(k) ? REDACTED : v));
        return shown;
    }
}
