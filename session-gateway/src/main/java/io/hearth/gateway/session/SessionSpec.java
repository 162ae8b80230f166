package io.hearth.gateway.session;

import io.hearth.protocol.EngineLaunch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client asked for when it created a session: Livy's {@code POST /sessions} body, validated, and who asked.
 * {@code owner} is the authenticated user who created it (null with authentication off), {@code proxyUser} the user it
 * runs as.
 */
public record SessionSpec(Kind kind, String name, String proxyUser, String driverMemory, Integer driverCores,
                          String executorMemory, Integer executorCores, Integer numExecutors, String queue,
                          List<String> jars, List<String> pyFiles, List<String> files, List<String> archives,
                          Map<String, String> conf, int heartbeatTimeoutInSecond, String ttl, String idleTimeout,
                          String owner) {

    /**
     * Spark settings the gateway decides, not a client: where sessions run is the operator's choice, as in Livy, unless
     * the operator allows overrides ({@code hearth.session.allow-master-override}); the request check enforces it.
     */
    public static final List<String> RESERVED_CONF = List.of("spark.master", "spark.submit.deployMode");

    /**
     * Spark settings the launcher sets for every engine and a session may not change: a cluster-mode engine is one
     * YARN attempt or one unsupervised standalone driver, submitted over Spark's RPC, whose spark-submit waits for it
     * (its exit is the engine's death notice), and its secret is the gateway's.
     */
    public static final List<String> ENGINE_CONF = List.of("spark.yarn.maxAppAttempts",
            "spark.yarn.submit.waitAppCompletion", "spark.kubernetes.submission.waitAppCompletion",
            "spark.standalone.submit.waitAppCompletion", "spark.driver.supervise", "spark.master.rest.enabled",
            "spark.hearth.session.secret");

    public SessionSpec {
        jars = List.copyOf(jars);
        pyFiles = List.copyOf(pyFiles);
        files = List.copyOf(files);
        archives = List.copyOf(archives);
        conf = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    }

    /** A session of the given kind with nothing else asked for. */
    public static SessionSpec of(Kind kind) {
        return new SessionSpec(kind, null, null, null, null, null, null, null, null,
                List.of(), List.of(), List.of(), List.of(), Map.of(), 0, null, null, null);
    }

    /** This request, made by {@code user}. */
    public SessionSpec withOwner(String user) {
        return new SessionSpec(kind, name, proxyUser, driverMemory, driverCores, executorMemory, executorCores,
                numExecutors, queue, jars, pyFiles, files, archives, conf, heartbeatTimeoutInSecond, ttl, idleTimeout,
                user);
    }

    /** This request with {@code conf} instead of its own (the state store's sealed or opened secrets). */
    public SessionSpec withConf(Map<String, String> conf) {
        return new SessionSpec(kind, name, proxyUser, driverMemory, driverCores, executorMemory, executorCores,
                numExecutors, queue, jars, pyFiles, files, archives, conf, heartbeatTimeoutInSecond, ttl, idleTimeout,
                owner);
    }

    /**
     * The Spark configuration this request amounts to: the client's {@code conf}, overridden by Livy's dedicated fields
     * (as Livy does), with {@code spark.app.name} defaulting to {@code hearth-session-<id>}.
     */
    public Map<String, String> sparkConf(int sessionId) {
        Map<String, String> c = new LinkedHashMap<>(conf);
        c.putIfAbsent("spark.app.name", EngineLaunch.defaultAppName(Integer.toString(sessionId)));
        put(c, "spark.app.name", name);
        put(c, "spark.driver.memory", driverMemory);
        put(c, "spark.driver.cores", driverCores);
        put(c, "spark.executor.memory", executorMemory);
        put(c, "spark.executor.cores", executorCores);
        put(c, "spark.executor.instances", numExecutors);
        put(c, "spark.yarn.queue", queue);
        putList(c, "spark.jars", jars);
        putList(c, "spark.submit.pyFiles", pyFiles);
        putList(c, "spark.files", files);
        putList(c, "spark.archives", archives);
        return c;
    }

    private static void put(Map<String, String> c, String key, Object value) {
        if (value != null) {
            c.put(key, value.toString());
        }
    }

    private static void putList(Map<String, String> c, String key, List<String> values) {
        if (!values.isEmpty()) {
            c.put(key, String.join(",", values));
        }
    }
}
