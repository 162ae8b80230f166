package io.hearth.gateway.batch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a client asked for when it submitted a batch: Livy's {@code POST /batches} body, validated. */
public record BatchSpec(String file, String className, List<String> args, String proxyUser, List<String> jars,
                        List<String> pyFiles, List<String> files, List<String> archives, String driverMemory,
                        Integer driverCores, String executorMemory, Integer executorCores, Integer numExecutors,
                        String queue, String name, Map<String, String> conf, String owner) {

    public BatchSpec {
        args = List.copyOf(args);
        jars = List.copyOf(jars);
        pyFiles = List.copyOf(pyFiles);
        files = List.copyOf(files);
        archives = List.copyOf(archives);
        conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }

    /** The same request, owned by {@code user} (who made it; {@code proxyUser} is who it runs as). */
    public BatchSpec withOwner(String user) {
        return new BatchSpec(file, className, args, proxyUser, jars, pyFiles, files, archives, driverMemory, driverCores,
                executorMemory, executorCores, numExecutors, queue, name, conf, user);
    }

    /** This request with {@code conf} instead of its own (the state store's sealed or opened secrets). */
    public BatchSpec withConf(Map<String, String> newConf) {
        return new BatchSpec(file, className, args, proxyUser, jars, pyFiles, files, archives, driverMemory, driverCores,
                executorMemory, executorCores, numExecutors, queue, name, newConf, owner);
    }

    /**
     * The Spark configuration this request amounts to: the client's {@code conf}, overridden by Livy's dedicated
     * fields, with {@code spark.app.name} defaulting to {@code hearth-batch-<id>}.
     */
    public Map<String, String> sparkConf(int batchId) {
        Map<String, String> c = new LinkedHashMap<>(conf);
        c.putIfAbsent("spark.app.name", "hearth-batch-" + batchId);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("spark.app.name", name);
        fields.put("spark.driver.memory", driverMemory);
        fields.put("spark.driver.cores", driverCores);
        fields.put("spark.executor.memory", executorMemory);
        fields.put("spark.executor.cores", executorCores);
        fields.put("spark.executor.instances", numExecutors);
        fields.put("spark.yarn.queue", queue);
        fields.put("spark.jars", jars.isEmpty() ? null : String.join(",", jars));
        fields.put("spark.submit.pyFiles", pyFiles.isEmpty() ? null : String.join(",", pyFiles));
        fields.put("spark.files", files.isEmpty() ? null : String.join(",", files));
        fields.put("spark.archives", archives.isEmpty() ? null : String.join(",", archives));
        fields.forEach((k, v) -> {
            if (v != null) {
                c.put(k, v.toString());
            }
        });
        return c;
    }
}
