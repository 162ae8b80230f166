package io.hearth.engine.python;

import java.util.Properties;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;

/**
 * Spark's local properties (job group, scheduler pool, job description: what {@code sc.setLocalProperty} sets) live on
 * the JVM thread that serves Python's statement thread. When a cancel leaves that thread behind in a call that ignored
 * its interrupt, Python goes on with a new JVM thread; this gives it the properties the old one had as the statement
 * began, so that the user's settings survive the cancel as their variables do.
 */
final class StatementThreadProperties {

    /** Read at a statement's start, when Spark is up: the bridge is made while Spark may still be starting. */
    private final Supplier<SparkContext> sparkContext;
    /** Written as a statement begins and read if it is taken over, each time on a thread serving Python's. */
    private volatile Properties atStatementStart = new Properties();

    StatementThreadProperties(Supplier<SparkContext> sparkContext) {
        this.sparkContext = sparkContext;
    }

    /** On the thread serving a statement as it begins. */
    void noteStatementStart() {
        atStatementStart = copy(sparkContext.get().getLocalProperties());
    }

    /** On the thread that takes the statement over. */
    void takeOver() {
        sparkContext.get().setLocalProperties(copy(atStatementStart));
    }

    private static Properties copy(Properties properties) {
        Properties copy = new Properties();
        if (properties != null) {
            copy.putAll(properties);
        }
        return copy;
    }
}
