package io.hearth.protocol;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The languages a statement can be written in, by the names the channel carries ({@code Execute.kind} and the
 * introspection requests): Livy's statement kinds, with the aliases Livy accepts, plus Hearth's {@code java}.
 */
public enum StatementKind {
    PYSPARK("pyspark", "python"),
    SPARK("spark", "scala"),
    SQL("sql"),
    /** Not a Livy kind: Java statements, run by JShell in the engine. */
    JAVA("java");

    /** What a statement without a kind is, as in Livy's pyspark and shared sessions. */
    public static final StatementKind DEFAULT = PYSPARK;

    private final String wireName;
    private final List<String> aliases;

    StatementKind(String wireName, String... aliases) {
        this.wireName = wireName;
        this.aliases = List.of(aliases);
    }

    /** The name the channel and Livy's JSON carry. */
    public String wireName() {
        return wireName;
    }

    /** Other names that mean this kind ({@code python} for {@code pyspark}...). */
    public List<String> aliases() {
        return aliases;
    }

    /** The kind named {@code text} (its wire name or an alias, any case); empty for null or an unknown name. */
    public static Optional<StatementKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.wireName.equals(t) || k.aliases.contains(t)).findFirst();
    }

    /** The kind of a statement that says {@code text}: no kind at all is {@link #DEFAULT}; empty for an unknown name. */
    public static Optional<StatementKind> ofStatement(String text) {
        return text == null || text.isBlank() ? Optional.of(DEFAULT) : parse(text);
    }

    /** "pyspark (python), spark (scala), ..." for messages that list what is accepted. */
    public static String describe(Collection<StatementKind> kinds) {
        return kinds.stream()
                .map(k -> k.aliases.isEmpty() ? k.wireName : k.wireName + " (" + String.join(", ", k.aliases) + ")")
                .collect(Collectors.joining(", "));
    }
}
