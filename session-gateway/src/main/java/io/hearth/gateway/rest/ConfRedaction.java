package io.hearth.gateway.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of a session's secret settings (storage keys, passwords, tokens) when its {@code conf} is shown
 * back: the engine gets them, no API answer carries them. Keys are matched as Spark's default
 * {@code spark.redaction.regex} matches them, plus {@code credential}.
 */
final class ConfRedaction {

    static final String REDACTED = "*********(redacted)";

    private static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|token|access[.]?key|credential");

    private ConfRedaction() {
    }

    /** {@code conf} with the value of every secret-looking key replaced by {@link #REDACTED}; null stays null. */
    static Map<String, String> redact(Map<String, String> conf) {
        if (conf == null) {
            return null;
        }
        Map<String, String> shown = new LinkedHashMap<>();
        conf.forEach((k, v) -> shown.put(k, SECRET_KEY.matcher(k).find() ? REDACTED : v));
        return shown;
    }
}
