package io.hearth.engine.link;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Sets Spark settings on the engine's running SparkSession when a pooled engine is handed to a session: all of them,
 * or none when Spark says one cannot change at runtime (the gateway then starts that session cold instead of giving
 * it a session that differs from what it asked for).
 */
final class RuntimeConf {

    private RuntimeConf() {}

    /** Empty when every setting was applied; else why none was. */
    static Optional<String> apply(Map<String, String> conf) {
        // The engine's one SparkSession is the default one: its starter made it with getOrCreate.
        Optional<SparkSession> spark = Optional.ofNullable(SparkSession.getDefaultSession().getOrElse(() -> null));
        if (spark.isEmpty()) {
            return Optional.of("the engine has no SparkSession");
        }
        RuntimeConfig runtime = spark.get().conf();
        Map<String, String> sorted = new TreeMap<>(conf);
        for (String key : sorted.keySet()) {
            if (!runtime.isModifiable(key)) {
                return Optional.of(key + " cannot change on a running SparkSession");
            }
        }
        Map<String, Optional<String>> before = new TreeMap<>();
        try {
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                before.put(e.getKey(), Optional.ofNullable(runtime.getOption(e.getKey()).getOrElse(() -> null)));
                runtime.set(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            // A value Spark refuses (e.g. not a number): put back what was set, so the engine stays as it started.
            before.forEach((key, value) -> value.ifPresentOrElse(v -> runtime.set(key, v), () -> runtime.unset(key)));
            return Optional.of("Spark refused a setting: " + e.getMessage());
        }
        return Optional.empty();
    }
}
