package io.hearth.engine.jshell;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The session objects Java snippets see as {@code spark} and {@code jsc}. The class loader of the snippets implements
 * it, so the startup snippets reach them through their own class's loader, with no static holder.
 */
public interface SessionBindings {

    SparkSession spark();

    JavaSparkContext jsc();
}
