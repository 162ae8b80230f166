package io.hearth.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a launcher tells an engine: through its environment, where to dial back, which session it serves, the Python to
 * run statements with, how long to keep dialling a gateway that went away, the file holding the session's Spark
 * settings, and when to use TLS on the channel with which gateway certificate (not secrets: a fingerprint tells only
 * which certificate to accept); the secret apart from them, as the first line of its standard input ({@link #readSecret}), so that it is
 * in no process's environment ({@code /proc/PID/environ}, which the Python driver and every Python worker would
 * inherit) nor argv. The gateway's launchers write the variables with {@link #variables()}; the engine reads them with
 * {@link #from}.
 *
 * @param python   the Python for pyspark statements; null leaves the engine's default, {@link #DEFAULT_PYTHON}
 * @param confFile the session's Spark settings file, read once and deleted by the engine; null when there is none
 *                 (a cluster-mode driver gets its settings as system properties, a hand-started engine as arguments)
 * @param tls      when the channel is TLS and which gateway certificate it accepts; null stands for
 *                 {@link ChannelTls#LOOPBACK_ONLY}
 */
public record EngineEnvironment(String gatewayHost, int gatewayPort, String sessionId, String secret, String python,
                                Duration reconnectGrace, String confFile, ChannelTls tls) {

    public static final String GATEWAY_HOST_ENV = "HEARTH_GATEWAY_HOST";
    public static final String GATEWAY_PORT_ENV = "HEARTH_GATEWAY_PORT";
    public static final String SESSION_ID_ENV = "HEARTH_SESSION_ID";
    public static final String PYTHON_ENV = "HEARTH_PYTHON";
    /** Milliseconds an engine that lost its gateway keeps trying to reach it again before it stops. */
    public static final String RECONNECT_GRACE_ENV = "HEARTH_RECONNECT_GRACE";
    public static final String CONF_FILE_ENV = "HEARTH_ENGINE_CONF";
    /** {@code off-host} (TLS unless the gateway is on loopback) or {@code always}: {@link ChannelEncryption}. */
    public static final String CHANNEL_ENCRYPTION_ENV = "HEARTH_CHANNEL_ENCRYPTION";
    /** The SHA-256 fingerprint of the gateway's channel certificate, the only one the engine accepts. */
    public static final String CHANNEL_FINGERPRINT_ENV = "HEARTH_CHANNEL_FINGERPRINT";
    /**
     * Where a cluster-mode driver finds the secret instead of its standard input: a Spark setting, so it travels in
     * the application's Spark configuration (spark-submit's private properties file, then Spark's owner-only staging
     * directory), never in the container's environment, which YARN writes into the container's launch script and
     * serves with its logs. The engine takes it out of the system properties before Spark sees them.
     */
    public static final String SECRET_PROPERTY = "spark.hearth.session.secret";
    /**
     * Set ({@code true}) for an engine launched into the gateway's warm pool: it rehearses a first cell (small jobs
     * through Python) before it says it is ready.
     */
    public static final String POOLED_PROPERTY = "spark.hearth.engine.pooled";
    /**
     * Where a driver in a Spark standalone cluster finds the secret: its environment, which the standalone client
     * copies from spark-submit's own and the Worker gives the driver's process (readable by its account and root).
     * Every Spark setting becomes a {@code -D} option of that process's command line instead, which anyone on the node
     * can read. The engine keeps it out of the environment of every process it starts ({@link #withoutSecret}).
     */
    public static final String SECRET_ENV = "HEARTH_SESSION_SECRET";

    /** Used when {@link #PYTHON_ENV} is absent: whatever python3 is on the PATH. */
    public static final String DEFAULT_PYTHON = "python3";
    /** Long enough for a gateway restart, short enough that an engine whose gateway is gone for good does not linger. */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(120);

    /** The longest secret line read from standard input; a launcher's is 64 characters or so. */
    private static final int MAX_SECRET_CHARS = 1024;

    /**
     * Reads and checks the variables, with the {@code secret} read apart ({@link #readSecret}); the message of a
     * failure names the variable at fault.
     */
    public EngineEnvironment {
        tls = tls == null ? ChannelTls.LOOPBACK_ONLY : tls;
    }

    public static EngineEnvironment from(Map<String, String> env, String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("no session secret: the launcher writes it as the first line of the"
                    + " engine's standard input (a cluster-mode driver's is the Spark setting " + SECRET_PROPERTY + ")");
        }
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
        return new EngineEnvironment(host, port, required(env, SESSION_ID_ENV), secret,
                python.isBlank() ? DEFAULT_PYTHON : python, reconnectGrace(env.get(RECONNECT_GRACE_ENV)),
                confFile == null || confFile.isBlank() ? null : confFile, tls(env));
    }

    private static ChannelTls tls(Map<String, String> env) {
        String encryption = env.getOrDefault(CHANNEL_ENCRYPTION_ENV, "");
        String pin = env.getOrDefault(CHANNEL_FINGERPRINT_ENV, "");
        ChannelEncryption when;
        try {
            when = encryption.isBlank() ? ChannelEncryption.OFF_HOST : ChannelEncryption.parse(encryption);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CHANNEL_ENCRYPTION_ENV + ": " + e.getMessage());
        }
        try {
            return new ChannelTls(when, pin.isBlank() ? null : new ChannelFingerprint(pin));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CHANNEL_FINGERPRINT_ENV + ": " + e.getMessage());
        }
    }

    /**
     * The session's secret: the Spark setting {@link #SECRET_PROPERTY} in a YARN or Kubernetes driver (removed from
     * {@code properties} either way, so that it never reaches the SparkConf, the Spark UI, event logs or executors),
     * else the variable {@link #SECRET_ENV} of a standalone cluster's driver, else the first line of {@code stdin},
     * where the launcher wrote it and then closed the stream; null when none has one.
     */
    public static String readSecret(Properties properties, Map<String, String> env, InputStream stdin)
            throws IOException {
        Object fromProperty = properties.remove(SECRET_PROPERTY);
        if (fromProperty != null) {
            return fromProperty.toString();
        }
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        StringBuilder line = new StringBuilder();
        // Byte by byte, never past the line: whatever follows on standard input is not the engine's to take.
        int b;
        while ((b = stdin.read()) != -1 && b != '\n' && line.length() < MAX_SECRET_CHARS) {
            line.append((char) b);
        }
        String secret = line.toString().strip();
        return secret.isEmpty() ? null : secret;
    }

    /** Takes {@link #SECRET_ENV} out of a child process's {@code environment}: the engine's children never get it. */
    public static void withoutSecret(Map<String, String> environment) {
        environment.remove(SECRET_ENV);
    }

    /** Hands the engine its secret: one line on its standard input, which is then closed (the engine reads no more). */
    public static void writeSecret(OutputStream stdin, String secret) throws IOException {
        try (stdin) {
            stdin.write((secret + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The variables to put in the engine's environment (never the secret); those of null fields are left out. */
    public Map<String, String> variables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(GATEWAY_HOST_ENV, gatewayHost);
        env.put(GATEWAY_PORT_ENV, Integer.toString(gatewayPort));
        env.put(SESSION_ID_ENV, sessionId);
        if (reconnectGrace != null) {
            env.put(RECONNECT_GRACE_ENV, Long.toString(reconnectGrace.toMillis()));
        }
        if (python != null) {
            env.put(PYTHON_ENV, python);
        }
        if (confFile != null) {
            env.put(CONF_FILE_ENV, confFile);
        }
        env.put(CHANNEL_ENCRYPTION_ENV, tls.encryption().wireName());
        if (tls.pin() != null) {
            env.put(CHANNEL_FINGERPRINT_ENV, tls.pin().value());
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
                + "ms") + ", confFile=" + confFile + ", channel encryption=" + tls.encryption().wireName()
                + (tls.pin() == null ? "" : ", pinned " + tls.pin()) + ", secret=<hidden>]";
    }
}
