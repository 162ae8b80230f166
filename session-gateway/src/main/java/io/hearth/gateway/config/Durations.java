package io.hearth.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Livy's duration strings ({@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}; a bare number is seconds). */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {}

    /**
     * @param name what the text is, for the message of a bad one
     * @throws IllegalArgumentException for text that is not a duration
     * @throws ArithmeticException      for one too long to represent
     */
    public static Duration parse(String name, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration like 90s, 3m or 500ms, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** {@code 120 s}, or {@code 1500 ms} when not whole seconds: how messages state a configured duration. */
    public static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
