package io.hearth.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's settings, resolved from the command line, the environment, a properties file and defaults, in that order
 * of precedence.
 *
 * <p>Every key can come from a properties file ({@code --config FILE}) or from an environment variable named after it
 * (upper case, {@code .} and {@code -} turned into {@code _}):
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>environment variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code hearth.gateway.host}</td><td>{@code HEARTH_GATEWAY_HOST}</td><td>{@code 127.0.0.1}</td>
 *       <td>address of the REST server and of the engine channel (loopback only until authentication exists)</td></tr>
 *   <tr><td>{@code hearth.gateway.port}</td><td>{@code HEARTH_GATEWAY_PORT}</td><td>{@code 8998}</td>
 *       <td>REST port (0 = any free port)</td></tr>
 *   <tr><td>{@code hearth.engine.jar}</td><td>{@code HEARTH_ENGINE_JAR}</td><td>none (required to start engines)</td>
 *       <td>path of {@code hearth-engine.jar}</td></tr>
 *   <tr><td>{@code hearth.python}</td><td>{@code HEARTH_PYTHON}</td><td>{@code python3}</td>
 *       <td>the Python that pyspark sessions run</td></tr>
 *   <tr><td>{@code hearth.spark.master}</td><td>{@code HEARTH_SPARK_MASTER}</td><td>{@code local[*]}</td>
 *       <td>{@code spark.master} of every session (clients may not override it)</td></tr>
 *   <tr><td>{@code hearth.session.start-timeout}</td><td>{@code HEARTH_SESSION_START_TIMEOUT}</td><td>{@code 180s}</td>
 *       <td>how long an engine may take to become ready ({@code 500ms}, {@code 90s}, {@code 3m}, {@code 1h}; a bare
 *       number is seconds)</td></tr>
 *   <tr><td>{@code hearth.channel.port}</td><td>{@code HEARTH_CHANNEL_PORT}</td><td>{@code 0}</td>
 *       <td>port engines dial back to (0 = ephemeral)</td></tr>
 *   <tr><td>{@code hearth.session.max-memory}</td><td>{@code HEARTH_SESSION_MAX_MEMORY}</td><td>{@code 64g}</td>
 *       <td>the most driver or executor memory one session may ask for</td></tr>
 *   <tr><td>{@code hearth.session.max-cores}</td><td>{@code HEARTH_SESSION_MAX_CORES}</td><td>{@code 64}</td>
 *       <td>the most driver or executor cores one session may ask for</td></tr>
 *   <tr><td>{@code hearth.session.max-executors}</td><td>{@code HEARTH_SESSION_MAX_EXECUTORS}</td><td>{@code 1000}</td>
 *       <td>the most executors one session may ask for</td></tr>
 * </table>
 *
 * <p>{@code HEARTH_GATEWAY_HOST} and {@code HEARTH_GATEWAY_PORT} are also the names under which a launched engine is told
 * where the channel listens; the launcher always sets them explicitly in the engine's environment, so the gateway's own
 * values never leak into an engine.
 */
public record GatewayConfig(String host, int port, Path engineJar, String python, String sparkMaster,
                            Duration sessionStartTimeout, int channelPort, ResourceLimits resourceLimits) {

    public static final String HOST = "hearth.gateway.host";
    public static final String PORT = "hearth.gateway.port";
    public static final String ENGINE_JAR = "hearth.engine.jar";
    public static final String PYTHON = "hearth.python";
    public static final String SPARK_MASTER = "hearth.spark.master";
    public static final String START_TIMEOUT = "hearth.session.start-timeout";
    public static final String CHANNEL_PORT = "hearth.channel.port";
    public static final String MAX_MEMORY = "hearth.session.max-memory";
    public static final String MAX_CORES = "hearth.session.max-cores";
    public static final String MAX_EXECUTORS = "hearth.session.max-executors";

    /** Every key with its default (null: no default). */
    private static final Map<String, String> DEFAULTS = defaults();

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST + " must not be empty");
        }
        requirePort(PORT, port);
        requirePort(CHANNEL_PORT, channelPort);
        if (sessionStartTimeout == null || sessionStartTimeout.isNegative() || sessionStartTimeout.isZero()) {
            throw new IllegalArgumentException(START_TIMEOUT + " must be positive");
        }
        if (resourceLimits == null) {
            throw new IllegalArgumentException("resource limits must be given");
        }
    }

    /** The defaults, with the engine jar and Python given: what tests and embedders start from. */
    public static GatewayConfig defaults(Path engineJar, String python) {
        Map<String, String> cli = new LinkedHashMap<>();
        cli.put(ENGINE_JAR, engineJar.toString());
        cli.put(PYTHON, python);
        return resolve(cli, Map.of(), new Properties());
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(host, newPort, engineJar, python, sparkMaster, sessionStartTimeout, channelPort, resourceLimits);
    }

    public GatewayConfig withSessionStartTimeout(Duration timeout) {
        return new GatewayConfig(host, port, engineJar, python, sparkMaster, timeout, channelPort, resourceLimits);
    }

    public GatewayConfig withEngineJar(Path jar) {
        return new GatewayConfig(host, port, jar, python, sparkMaster, sessionStartTimeout, channelPort, resourceLimits);
    }

    /**
     * Resolves every key: command line, then environment, then file, then default.
     *
     * @param cli  values given on the command line, by key
     * @param env  the process environment (variables named by {@link #envName})
     * @param file the {@code --config} properties; an unknown {@code hearth.*} key there is a mistake worth stopping for
     */
    public static GatewayConfig resolve(Map<String, String> cli, Map<String, String> env, Properties file) {
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("hearth.") && !DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown key " + key + " in the config file; known keys: "
                        + String.join(", ", DEFAULTS.keySet()));
            }
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
            String key = d.getKey();
            String value = firstNonBlank(cli.get(key), env.get(envName(key)), file.getProperty(key), d.getValue());
            v.put(key, value);
        }
        String jar = v.get(ENGINE_JAR);
        return new GatewayConfig(
                v.get(HOST),
                parseInt(PORT, v.get(PORT)),
                jar == null ? null : Path.of(jar).toAbsolutePath().normalize(),
                v.get(PYTHON),
                v.get(SPARK_MASTER),
                parseDuration(START_TIMEOUT, v.get(START_TIMEOUT)),
                parseInt(CHANNEL_PORT, v.get(CHANNEL_PORT)),
                resourceLimits(v));
    }

    /** {@code hearth.session.start-timeout} becomes {@code HEARTH_SESSION_START_TIMEOUT}. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static List<String> keys() {
        return List.copyOf(DEFAULTS.keySet());
    }

    static Duration parseDuration(String key, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(key + " must be a duration like 90s, 3m or 500ms, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static ResourceLimits resourceLimits(Map<String, String> v) {
        String memory = v.get(MAX_MEMORY);
        long mib;
        try {
            mib = SparkMemory.isValid(memory) ? SparkMemory.mebibytes(memory) : -1;
        } catch (ArithmeticException | NumberFormatException e) {
            mib = -1;
        }
        if (mib <= 0) {
            throw new IllegalArgumentException(MAX_MEMORY + " must be a memory size like 64g, not '" + memory + "'");
        }
        int cores = parseInt(MAX_CORES, v.get(MAX_CORES));
        int executors = parseInt(MAX_EXECUTORS, v.get(MAX_EXECUTORS));
        if (cores <= 0 || executors < 0) {
            throw new IllegalArgumentException(MAX_CORES + " must be positive and " + MAX_EXECUTORS
                    + " not negative");
        }
        return new ResourceLimits(mib, cores, executors);
    }

    private static int parseInt(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + text + "'");
        }
    }

    private static void requirePort(String key, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " must be between 0 and 65535, not " + port);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String s : values) {
            if (s != null && !s.isBlank()) {
                return s.trim();
            }
        }
        return null;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(HOST, "127.0.0.1");
        d.put(PORT, "8998");
        d.put(ENGINE_JAR, null);
        d.put(PYTHON, "python3");
        d.put(SPARK_MASTER, "local[*]");
        d.put(START_TIMEOUT, "180s");
        d.put(CHANNEL_PORT, "0");
        d.put(MAX_MEMORY, "64g");
        d.put(MAX_CORES, "64");
        d.put(MAX_EXECUTORS, "1000");
        return java.util.Collections.unmodifiableMap(d);
    }
}
