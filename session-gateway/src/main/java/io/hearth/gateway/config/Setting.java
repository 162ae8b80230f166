package io.hearth.gateway.config;

import java.util.Locale;

/**
 * One gateway setting, declared once: its property key (its environment variable is named after it), its default,
 * how its text is read and checked, and the line that documents it. {@link Settings} lists them all;
 * {@link GatewayConfig} resolves them, and the README's settings table is derived from them.
 *
 * @param key          the property key, as in a {@code --config} file
 * @param defaultValue the text used when nothing sets it; null for none (the value is then null)
 * @param defaultDoc   the default as the docs state it, when that is not simply {@code defaultValue}
 * @param type         reads and checks the text
 * @param doc          what it means, one line of Markdown
 * @param fallbackEnv  another environment variable consulted before the default (e.g. {@code SPARK_HOME}), or null
 */
public record Setting<T>(String key, String defaultValue, String defaultDoc, SettingType<T> type, String doc,
                         String fallbackEnv) {

    public Setting {
        if (!key.startsWith("hearth.")) {
            throw new IllegalArgumentException("gateway settings are named hearth.*, not " + key);
        }
    }

    /** A setting whose documented default is its default value, or "none" when it has none. */
    static <T> Setting<T> of(String key, String defaultValue, SettingType<T> type, String doc) {
        return new Setting<>(key, defaultValue, null, type, doc, null);
    }

    /** {@code hearth.session.start-timeout} is {@code HEARTH_SESSION_START_TIMEOUT}. */
    public String env() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default as the docs show it: the value in backquotes, "none", or the stated text. */
    public String documentedDefault() {
        if (defaultDoc != null) {
            return defaultDoc;
        }
        return defaultValue == null ? "none" : "`" + defaultValue + "`";
    }

    /** The value of this text (null for none), or an {@link IllegalArgumentException} naming the key. */
    public T parse(String text) {
        return text == null ? null : type.parse(key, text);
    }
}
