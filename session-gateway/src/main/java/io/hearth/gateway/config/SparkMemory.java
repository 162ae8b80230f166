package io.hearth.gateway.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Spark's memory strings ({@code 512m}, {@code 2g}, {@code 1gb}; a bare number is MiB, as for {@code spark.driver.memory}). */
public final class SparkMemory {

    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*([kmgtp]?)b?", Pattern.CASE_INSENSITIVE);

    private SparkMemory() {}

    public static boolean isValid(String text) {
        return MEMORY.matcher(text.trim()).matches();
    }

    /** The amount in MiB, rounded up so that a request is never silently shrunk to nothing. */
    public static long mebibytes(String text) {
        Matcher m = MEMORY.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory size: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "k" -> (n + 1023) / 1024;
            case "", "m" -> n;
            case "g" -> Math.multiplyExact(n, 1024L);
            case "t" -> Math.multiplyExact(n, 1024L * 1024);
            default -> Math.multiplyExact(n, 1024L * 1024 * 1024);
        };
    }
}
