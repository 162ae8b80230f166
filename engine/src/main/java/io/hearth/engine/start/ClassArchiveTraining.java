package io.hearth.engine.start;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The training run of the engine's class-data-sharing archive: started once per build or install as {@code java
 * -XX:ArchiveClassesAtExit=hearth-engine.jsa -cp hearth-engine.jar} this class, it starts a local SparkSession and
 * runs a first job, so that the JVM writes the classes an engine's start loads into the archive at exit. Engines
 * started with that archive map those classes instead of loading and verifying them from jars.
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws EngineStartException {
        SparkSession spark = new SparkStarter("class-archive-training")
                .start(Map.of("spark.master", "local[1]", "spark.ui.enabled", "false"));
        try {
            long count = spark.range(10).count();
            if (count != 10) {
                throw new IllegalStateException("the training job counted " + count + " rows, not 10");
            }
        } finally {
            spark.stop();
        }
        // Spark leaves non-daemon threads behind; the archive is written as the JVM exits.
        System.exit(0);
    }
}
