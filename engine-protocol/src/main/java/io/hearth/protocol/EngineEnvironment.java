package io.hearth.protocol;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a launcher tells an engine through its environment (never argv, so the secret stays out of {@code ps}): where
 * to dial back, which session it serves, its secret, the Python to run statements with, how long to keep dialling a
 * gateway that went away, and the file holding the session's Spark settings. The gateway's launchers write the
 * variables with {@link #variables()}; the engine reads them with {@link #from}.
 *
 * @param python   the Python for pyspark statements; null leaves the engine's default, {@link #DEFAULT_PYTHON}
 * @param confFile the session's Spark settings file, read once and deleted by the engine; null when there is none
 *                 (a cluster-mode driver gets its settings as system properties, a hand-started engine as arguments)
 */
public record EngineEnvironment(String gatewayHost, int gatewayPort, String sessionId, String secret, String python,
                                Duration reconnectGrace, String confFile) {

    public static final String GATEWAY_HOST_ENV = "HEARTH_GATEWAY_HOST";
    public static final String GATEWAY_PORT_ENV = "HEARTH_GATEWAY_PORT";
    public static final String SESSION_ID_ENV = "HEARTH_SESSION_ID";
    /** The session's secret; child processes of the engine (Python, its workers) must not inherit it. */
    public static final String SECRET_ENV = "HEARTH_SESSION_SECRET";
    public static final String PYTHON_ENV = "HEARTH_PYTHON";
    /** Milliseconds an engine that lost its gateway keeps trying to reach it again before it stops. */
    public static final String RECONNECT_GRACE_ENV = "HEARTH_RECONNECT_GRACE";
    public static final String CONF_FILE_ENV = "HEARTH_ENGINE_CONF";
    /**
     * Where a cluster-mode driver finds the secret instead of {@link #SECRET_ENV}: a Spark setting, so it travels in
     * the application's Spark configuration (spark-submit's private properties file, then Spark's owner-only staging
     * directory), never in the container's environment, which YARN writes into the container's launch script and
     * serves with its logs. The engine takes it out of the system properties before Spark sees them.
     */
    public static final String SECRET_PROPERTY = "spark.hearth.session.secret";

    /** Used when {@link #PYTHON_ENV} is absent: whatever python3 is on the PATH. */
    public static final String DEFAULT_PYTHON = "python3";
    /** Long enough for a gateway restart, short enough that an engine whose gateway is gone for good does not linger. */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(120);

    /** Reads and checks the variables; the message of a failure names the variable at fault. */
    public static EngineEnvironment from(Map<String, String> env) {
        String host = required(env, GATEWAY_HOST_ENV);
        String portText = required(env, GATEWAY_PORT_ENV);
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(GATEWAY_PORT_ENV + " is not a port number: " + portText);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(GATEWAY_PORT_ENV + " is out of range: " + port);
        }
        String python = env.getOrDefault(PYTHON_ENV, "");
        String confFile = env.get(CONF_FILE_ENV);
        return new EngineEnvironment(host, port, required(env, SESSION_ID_ENV), required(env, SECRET_ENV),
                python.isBlank() ? DEFAULT_PYTHON : python, reconnectGrace(env.get(RECONNECT_GRACE_ENV)),
                confFile == null || confFile.isBlank() ? null : confFile);
    }

    /**
     * The environment with the secret of {@link #SECRET_PROPERTY} when the environment has none; the property is
     * removed from {@code properties} either way, so that it never reaches the SparkConf (and so the Spark UI, event
     * logs or executors).
     */
    public static Map<String, String> withSecretProperty(Map<String, String> env, java.util.Properties properties) {
        Object secret = properties.remove(SECRET_PROPERTY);
        if (secret == null || env.containsKey(SECRET_ENV)) {
            return env;
        }
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.put(SECRET_ENV, secret.toString());
        return merged;
    }

    /** The variables to put in the engine's environment; those of null fields are left out. */
    public Map<String, String> variables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(GATEWAY_HOST_ENV, gatewayHost);
        env.put(GATEWAY_PORT_ENV, Integer.toString(gatewayPort));
        env.put(SESSION_ID_ENV, sessionId);
        env.put(SECRET_ENV, secret);
        if (reconnectGrace != null) {
            env.put(RECONNECT_GRACE_ENV, Long.toString(reconnectGrace.toMillis()));
        }
        if (python != null) {
            env.put(PYTHON_ENV, python);
        }
        if (confFile != null) {
            env.put(CONF_FILE_ENV, confFile);
        }
        return env;
    }

    private static Duration reconnectGrace(String millis) {
        if (millis == null || millis.isBlank()) {
            return DEFAULT_RECONNECT_GRACE;
        }
        try {
            long ms = Long.parseLong(millis.trim());
            if (ms >= 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(RECONNECT_GRACE_ENV + " must be a number of milliseconds, not " + millis);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + name + " is not set");
        }
        return value;
    }

    /** Never shows the secret: this record ends up in logs. */
    @Override
    public String toString() {
        return "EngineEnvironment[gateway=" + gatewayHost + ":" + gatewayPort + ", session=" + sessionId
                + ", python=" + python + ", reconnectGrace=" + (reconnectGrace == null ? null : reconnectGrace.toMillis()
                + "ms") + ", confFile=" + confFile + ", secret=<hidden>]";
    }
}
