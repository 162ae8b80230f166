package io.hearth.engine.interpreter;

import java.util.Optional;
import java.util.Set;

/**
 * Calls that would end the session for every interpreter: stopping the shared SparkSession or context, or exiting the
 * engine JVM that statements run in. The JVM interpreters refuse compiled code that makes one, as the Python driver
 * refuses {@code spark.stop()}, all with {@link #ERROR}.
 */
public final class SessionStoppingCall {

    /** The error name of a refused statement, in every language. */
    public static final String ERROR = "SharedSparkContextError";
    /** Why, after the name of the call: what a refused statement says. */
    public static final String MESSAGE = "the Spark context and the engine JVM are shared by this session and cannot"
            + " be stopped from a statement; delete the session instead. The statement was not run.";

    private static final Set<String> SPARK_OWNERS = Set.of("org/apache/spark/sql/SparkSession",
            "org/apache/spark/sql/classic/SparkSession", "org/apache/spark/SparkContext",
            "org/apache/spark/api/java/JavaSparkContext");
    private static final Set<String> JVM_EXITS = Set.of("java/lang/System.exit", "java/lang/Runtime.exit",
            "java/lang/Runtime.halt", "scala/sys/package$.exit");

    private SessionStoppingCall() {
    }

    /**
     * What a call to {@code name} on {@code owner} (internal names, as in bytecode) is, e.g. {@code SparkSession.stop},
     * if it stops the session or the JVM.
     */
    public static Optional<String> of(String owner, String name) {
        boolean stopsSpark = SPARK_OWNERS.contains(owner) && (name.equals("stop") || name.equals("close"));
        if (!stopsSpark && !JVM_EXITS.contains(owner + "." + name)) {
            return Optional.empty();
        }
        return Optional.of(owner.substring(owner.lastIndexOf('/') + 1) + "." + name);
    }
}
