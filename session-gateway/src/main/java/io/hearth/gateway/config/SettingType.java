package io.hearth.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes its value, refusing text that is not valid with a message naming the key.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface SettingType<T> {

    /** @throws IllegalArgumentException naming {@code key} when {@code text} is not a valid value */
    T parse(String key, String text);

    static SettingType<String> text() {
        return (key, text) -> text;
    }

    static SettingType<Integer> integer(int min, int max) {
        return (key, text) -> {
            int n;
            try {
                n = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a number, not '" + text + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        };
    }

    static SettingType<Integer> port() {
        return integer(0, 65535);
    }

    static SettingType<Boolean> bool() {
        return (key, text) -> switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + text + "'");
        };
    }

    /** A {@link Durations duration}; {@code positive} refuses zero. */
    static SettingType<Duration> duration(boolean positive) {
        return (key, text) -> {
            Duration d;
            try {
                d = Durations.parse(key, text);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(key + " is too long: '" + text + "'");
            }
            if (positive && d.isZero()) {
                throw new IllegalArgumentException(key + " must be positive");
            }
            return d;
        };
    }

    /** A file or directory, made absolute against the working directory. */
    static SettingType<Path> path() {
        return (key, text) -> Path.of(text).toAbsolutePath().normalize();
    }

    /** A memory size ({@code 64g}, {@code 512m}), as MiB. */
    static SettingType<Long> mebibytes() {
        return (key, text) -> {
            long mib;
            try {
                mib = SparkMemory.isValid(text) ? SparkMemory.mebibytes(text) : -1;
            } catch (ArithmeticException | NumberFormatException e) {
                mib = -1;
            }
            if (mib <= 0) {
                throw new IllegalArgumentException(key + " must be a memory size like 64g, not '" + text + "'");
            }
            return mib;
        };
    }

    /**
     * A size in bytes between {@code min} and {@code max}: {@code 64m}, {@code 512k}, {@code 1g} (binary units) or a bare
     * number of bytes.
     */
    static SettingType<Long> bytes(long min, long max) {
        Pattern size = Pattern.compile("(\\d{1,12})\\s*([kmg]?)b?",
                Pattern.CASE_INSENSITIVE);
        return (key, text) -> {
            Matcher m = size.matcher(text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(key + " must be a size like 64m, 512k or 1g, not '" + text + "'");
            }
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            long n = Long.parseLong(m.group(1)) << shift;
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + " bytes, not '"
                        + text + "'");
            }
            return n;
        };
    }

    /** One of a few words. */
    static SettingType<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        return (key, text) -> {
            if (!allowed.contains(text)) {
                throw new IllegalArgumentException(key + " must be one of " + String.join(", ", allowed) + ", not '"
                        + text + "'");
            }
            return text;
        };
    }
}
