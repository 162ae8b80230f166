package io.hearth.gateway.session;

import io.hearth.protocol.StatementKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Livy's session and statement kinds, with the aliases Livy accepts ({@code python} is {@code pyspark}, ...), plus
 * Hearth's {@code java}. The kinds statements can run in are the engine's {@link StatementKind}s, named as those are;
 * {@code sparkr} and {@code shared} are session kinds only.
 */
public enum Kind {
    SPARK(StatementKind.SPARK),
    PYSPARK(StatementKind.PYSPARK),
    SPARKR(null, "sparkr", "r"),
    SQL(StatementKind.SQL),
    JAVA(StatementKind.JAVA),
    SHARED(null, "shared");

    /** The statement kinds the gateway hands to the engine; the others are accepted for sessions only. */
    public static final List<Kind> RUNNABLE = Arrays.stream(values()).filter(Kind::isRunnable).toList();

    private final StatementKind statementKind;
    private final String wireName;
    private final List<String> aliases;

    Kind(StatementKind statementKind) {
        this(statementKind, statementKind.wireName(), statementKind.aliases().toArray(String[]::new));
    }

    Kind(StatementKind statementKind, String wireName, String... aliases) {
        this.statementKind = statementKind;
        this.wireName = wireName;
        this.aliases = List.of(aliases);
    }

    public String wireName() {
        return wireName;
    }

    public boolean isRunnable() {
        return statementKind != null;
    }

    /** The kind of {@link StatementKind#DEFAULT}: what a statement of a shared session without a kind runs as. */
    public static Kind defaultStatementKind() {
        return Arrays.stream(values()).filter(k -> k.statementKind == StatementKind.DEFAULT).findFirst().orElseThrow();
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
