package io.hearth.kernel.livy;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Livy's statement kinds, as the kernel writes them in {@code POST /sessions} and {@code .../statements}: one per
 * language a session runs, and one Hearth kernel per kind. The gateway defines the same words for its side; the
 * kernel speaks only Livy's REST API, so it names them here rather than depending on the gateway's code.
 */
public enum StatementKind {
    PYSPARK("pyspark"),
    SPARK("spark"),
    SQL("sql"),
    JAVA("java");

    /** The kind of a kernel whose kernel.json names none. */
    public static final StatementKind DEFAULT = PYSPARK;

    private final String wireName;

    StatementKind(String wireName) {
        this.wireName = wireName;
    }

    /** The word on the wire and in kernelspec names: {@code pyspark}, {@code spark}, {@code sql}, {@code java}. */
    public String wireName() {
        return wireName;
    }

    /** The kind written {@code text} on the wire, if it is one. */
    public static Optional<StatementKind> fromWire(String text) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(text)).findFirst();
    }

    /** {@code pyspark, spark, sql or java}: the valid words, for messages. */
    public static String choices() {
        String all = Arrays.stream(values()).map(StatementKind::wireName).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
