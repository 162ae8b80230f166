package io.hearth.kernel.magic;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides the values of secret Spark settings (storage keys, passwords, tokens) in the session settings a magic shows
 * back: the gateway gets them, no cell output carries them. Keys are matched as the gateway matches them: Spark 4.2.0's
 * default {@code spark.redaction.regex} plus {@code credential}.
 */
final class ConfRedaction {

    static final String REDACTED = "*********(redacted)";

    private static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|token|access[.]?key|credential");

    private ConfRedaction() {
    }

    /** A copy of Livy session {@code settings} whose {@code conf} shows {@link #REDACTED} for every secret value. */
    static JsonObject redact(JsonObject settings) {
        JsonObject shown = settings.deepCopy();
        JsonElement conf = shown.get("conf");
        if (conf != null && conf.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : conf.getAsJsonObject().entrySet()) {
                if (SECRET_KEY.matcher(e.getKey()).find()) {
                    e.setValue(new com.google.gson.JsonPrimitive(REDACTED));
                }
            }
        }
        return shown;
    }
}
