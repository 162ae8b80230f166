package io.hearth.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Livy's session and statement kinds, with the aliases Livy accepts ({@code python} is {@code pyspark}, ...), plus
 * Hearth's {@code java}.
 */
public enum Kind {
    SPARK("spark", "scala"),
    PYSPARK("pyspark", "python"),
    SPARKR("sparkr", "r"),
    SQL("sql"),
    /** Not a Livy kind: Hearth's Java statements (JShell in the engine). */
    JAVA("java"),
    SHARED("shared");

    /**
     * The statement kinds the gateway hands to the engine; the others are accepted for sessions only. An engine that
     * does not run one of these yet answers its statements with an {@code UnsupportedKind} error.
     */
    public static final List<Kind> RUNNABLE = List.of(PYSPARK, SQL, SPARK, JAVA);

    private final String wireName;
    private final List<String> aliases;

    Kind(String wireName, String... aliases) {
        this.wireName = wireName;
        this.aliases = List.of(aliases);
    }

    public String wireName() {
        return wireName;
    }

    public boolean isRunnable() {
        return RUNNABLE.contains(this);
    }

    public static Optional<Kind> parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.wireName.equals(t) || k.aliases.contains(t)).findFirst();
    }

    /** "spark (scala), pyspark (python), ..." for error messages. */
    public static String describe(List<Kind> kinds) {
        return kinds.stream()
                .map(k -> k.aliases.isEmpty() ? k.wireName : k.wireName + " (" + String.join(", ", k.aliases) + ")")
                .collect(Collectors.joining(", "));
    }
}
