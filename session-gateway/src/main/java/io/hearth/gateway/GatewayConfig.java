package io.hearth.gateway;

import io.hearth.gateway.auth.AuthSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
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
 *       <td>address of the REST server and of the engine channel (beyond loopback only with authentication, or with
 *       {@code hearth.gateway.allow-unauthenticated})</td></tr>
 *   <tr><td>{@code hearth.gateway.port}</td><td>{@code HEARTH_GATEWAY_PORT}</td><td>{@code 8998}</td>
 *       <td>REST port (0 = any free port)</td></tr>
 *   <tr><td>{@code hearth.engine.jar}</td><td>{@code HEARTH_ENGINE_JAR}</td><td>none (required to start engines)</td>
 *       <td>path of {@code hearth-engine.jar}</td></tr>
 *   <tr><td>{@code hearth.python}</td><td>{@code HEARTH_PYTHON}</td><td>{@code python3}</td>
 *       <td>the Python that pyspark sessions run</td></tr>
 *   <tr><td>{@code hearth.spark.master}</td><td>{@code HEARTH_SPARK_MASTER}</td><td>{@code local[*]}</td>
 *       <td>{@code spark.master} of every session and batch (clients may not override it unless
 *       {@code hearth.session.allow-master-override} says so)</td></tr>
 *   <tr><td>{@code hearth.session.start-timeout}</td><td>{@code HEARTH_SESSION_START_TIMEOUT}</td><td>{@code 180s}</td>
 *       <td>how long an engine may take to become ready ({@code 500ms}, {@code 90s}, {@code 3m}, {@code 1h}; a bare
 *       number is seconds)</td></tr>
 *   <tr><td>{@code hearth.channel.port}</td><td>{@code HEARTH_CHANNEL_PORT}</td><td>{@code 0}</td>
 *       <td>port engines dial back to (0 = the one bound last time, kept in the state directory, else ephemeral)</td></tr>
 *   <tr><td>{@code hearth.auth.methods}</td><td>{@code HEARTH_AUTH_METHODS}</td><td>{@code none}</td>
 *       <td>how callers authenticate: {@code none}, {@code token} (bearer tokens), {@code basic} (HTTP Basic) or
 *       {@code token,basic}</td></tr>
 *   <tr><td>{@code hearth.auth.tokens-file}</td><td>{@code HEARTH_AUTH_TOKENS_FILE}</td><td>none</td>
 *       <td>{@code user:sha256:<hex>} lines ({@code hearth-gateway hash-token USER}); required with {@code token}</td></tr>
 *   <tr><td>{@code hearth.auth.users-file}</td><td>{@code HEARTH_AUTH_USERS_FILE}</td><td>none</td>
 *       <td>{@code user:pbkdf2-sha256:...} lines ({@code hearth-gateway hash-password USER}); required with
 *       {@code basic}</td></tr>
 *   <tr><td>{@code hearth.auth.superusers}</td><td>{@code HEARTH_AUTH_SUPERUSERS}</td><td>none</td>
 *       <td>comma list of users who may access every session and act as anyone ({@code doAs}, {@code proxyUser})</td></tr>
 *   <tr><td>{@code hearth.csrf.enabled}</td><td>{@code HEARTH_CSRF_ENABLED}</td><td>{@code false}</td>
 *       <td>Livy's CSRF protection: requests other than GET/HEAD/OPTIONS need an {@code X-Requested-By} header</td></tr>
 *   <tr><td>{@code hearth.gateway.allow-unauthenticated}</td><td>{@code HEARTH_GATEWAY_ALLOW_UNAUTHENTICATED}</td>
 *       <td>{@code false}</td><td>lets the gateway listen beyond loopback with {@code hearth.auth.methods=none}: anyone
 *       who reaches it can then run code as its user</td></tr>
 *   <tr><td>{@code hearth.state.dir}</td><td>{@code HEARTH_STATE_DIR}</td><td>{@code ~/.hearth/gateway-state}</td>
 *       <td>where sessions, statements and engine logs are kept across gateway restarts (one gateway at a time)</td></tr>
 *   <tr><td>{@code hearth.engine.reconnect-grace}</td><td>{@code HEARTH_ENGINE_RECONNECT_GRACE}</td><td>{@code 120s}</td>
 *       <td>how long an engine that lost its gateway keeps dialling it, and a restarted gateway waits for it</td></tr>
 *   <tr><td>{@code hearth.launcher}</td><td>{@code HEARTH_LAUNCHER}</td><td>{@code auto}</td>
 *       <td>how engines start: {@code local} (a child JVM of the gateway), {@code spark-submit} (Spark's launcher, for
 *       {@code spark://}, {@code yarn}, {@code k8s://} masters) or {@code auto} (local for {@code local*} masters,
 *       spark-submit otherwise); batches always go through spark-submit</td></tr>
 *   <tr><td>{@code hearth.spark.home}</td><td>{@code HEARTH_SPARK_HOME}</td><td>{@code SPARK_HOME}, else the
 *       {@code pyspark} package of {@code hearth.python} (a complete Spark distribution)</td>
 *       <td>the Spark distribution whose {@code bin/spark-submit} launches engines and batches</td></tr>
 *   <tr><td>{@code hearth.spark.deploy-mode}</td><td>{@code HEARTH_SPARK_DEPLOY_MODE}</td><td>{@code client}</td>
 *       <td>{@code client} (the engine runs beside the gateway) or {@code cluster} ({@code yarn}/{@code k8s://} only:
 *       the engine runs in the cluster and dials back over the network)</td></tr>
 *   <tr><td>{@code hearth.session.idle-timeout}</td><td>{@code HEARTH_SESSION_IDLE_TIMEOUT}</td><td>{@code 1h}</td>
 *       <td>a session with no client call for this long is stopped, unless a statement runs or waits ({@code 0} = never);
 *       a session's own {@code idleTimeout} wins</td></tr>
 *   <tr><td>{@code hearth.session.max}</td><td>{@code HEARTH_SESSION_MAX}</td><td>{@code 20}</td>
 *       <td>live sessions at most, and running batches at most (counted apart); one more is refused with 429</td></tr>
 *   <tr><td>{@code hearth.session.max-starting}</td><td>{@code HEARTH_SESSION_MAX_STARTING}</td><td>{@code 4}</td>
 *       <td>sessions starting at once at most (each start is a JVM and a SparkContext); one more gets 429 with
 *       {@code Retry-After}</td></tr>
 *   <tr><td>{@code hearth.session.allow-master-override}</td><td>{@code HEARTH_SESSION_ALLOW_MASTER_OVERRIDE}</td>
 *       <td>{@code false}</td><td>whether a session's {@code conf} may set {@code spark.master} and
 *       {@code spark.submit.deployMode}</td></tr>
 *   <tr><td>{@code hearth.session.max-memory}</td><td>{@code HEARTH_SESSION_MAX_MEMORY}</td><td>{@code 64g}</td>
 *       <td>the most driver or executor memory one session may ask for</td></tr>
 *   <tr><td>{@code hearth.session.max-cores}</td><td>{@code HEARTH_SESSION_MAX_CORES}</td><td>{@code 64}</td>
 *       <td>the most driver or executor cores one session may ask for</td></tr>
 *   <tr><td>{@code hearth.session.max-executors}</td><td>{@code HEARTH_SESSION_MAX_EXECUTORS}</td><td>{@code 1000}</td>
 *       <td>the most executors one session may ask for</td></tr>
 *   <tr><td>{@code hearth.statement.max-output}</td><td>{@code HEARTH_STATEMENT_MAX_OUTPUT}</td><td>{@code 64m}</td>
 *       <td>the most one statement may return (printed text, shown values and result, UTF-8 bytes; {@code k},
 *       {@code m}, {@code g} are binary units, at most {@code 1g}); past it the statement ends with an
 *       {@code OutputTooLarge} error</td></tr>
 * </table>
 *
 * <p>{@code HEARTH_GATEWAY_HOST} and {@code HEARTH_GATEWAY_PORT} are also the names under which a launched engine is told
 * where the channel listens; the launcher always sets them explicitly in the engine's environment, so the gateway's own
 * values never leak into an engine.
 */
public record GatewayConfig(String host, int port, Path engineJar, String python, String sparkMaster,
                            Duration sessionStartTimeout, int channelPort, AuthSettings auth, Path stateDir,
                            Duration reconnectGrace, String launcher, Path sparkHome, String deployMode,
                            Duration sessionIdleTimeout, int maxSessions, int maxStartingSessions,
                            boolean allowMasterOverride, ResourceLimits resourceLimits, long maxStatementOutput) {

    public static final String HOST = "hearth.gateway.host";
    public static final String PORT = "hearth.gateway.port";
    public static final String ENGINE_JAR = "hearth.engine.jar";
    public static final String PYTHON = "hearth.python";
    public static final String SPARK_MASTER = "hearth.spark.master";
    public static final String START_TIMEOUT = "hearth.session.start-timeout";
    public static final String CHANNEL_PORT = "hearth.channel.port";
    public static final String AUTH_METHODS = "hearth.auth.methods";
    public static final String AUTH_TOKENS_FILE = "hearth.auth.tokens-file";
    public static final String AUTH_USERS_FILE = "hearth.auth.users-file";
    public static final String AUTH_SUPERUSERS = "hearth.auth.superusers";
    public static final String CSRF_ENABLED = "hearth.csrf.enabled";
    public static final String ALLOW_UNAUTHENTICATED = "hearth.gateway.allow-unauthenticated";
    public static final String STATE_DIR = "hearth.state.dir";
    public static final String RECONNECT_GRACE = "hearth.engine.reconnect-grace";

    public static final String LAUNCHER = "hearth.launcher";
    public static final String SPARK_HOME = "hearth.spark.home";
    public static final String DEPLOY_MODE = "hearth.spark.deploy-mode";
    public static final String IDLE_TIMEOUT = "hearth.session.idle-timeout";
    public static final String MAX_SESSIONS = "hearth.session.max";
    public static final String MAX_STARTING = "hearth.session.max-starting";
    public static final String ALLOW_MASTER_OVERRIDE = "hearth.session.allow-master-override";

    public static final String MAX_MEMORY = "hearth.session.max-memory";
    public static final String MAX_CORES = "hearth.session.max-cores";
    public static final String MAX_EXECUTORS = "hearth.session.max-executors";

    public static final String MAX_STATEMENT_OUTPUT = "hearth.statement.max-output";
    /** A String holds at most 2^31 characters, and the gateway holds a statement's output in memory. */
    static final long MAX_STATEMENT_OUTPUT_CEILING = 1L << 30;

    /** The values of {@link #LAUNCHER}. */
    public static final List<String> LAUNCHERS = List.of("auto", "local", "spark-submit");

    /** Every key with its default (null: no default). */
    private static final Map<String, String> DEFAULTS = defaults();

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

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
        if (auth == null) {
            auth = AuthSettings.none();
        }
        if (stateDir == null) {
            throw new IllegalArgumentException(STATE_DIR + " must not be empty");
        }
        if (reconnectGrace == null || reconnectGrace.isNegative()) {
            throw new IllegalArgumentException(RECONNECT_GRACE + " must not be negative");
        }
        if (!LAUNCHERS.contains(launcher)) {
            throw new IllegalArgumentException(LAUNCHER + " must be one of " + String.join(", ", LAUNCHERS) + ", not '"
                    + launcher + "'");
        }
        if (!"client".equals(deployMode) && !"cluster".equals(deployMode)) {
            throw new IllegalArgumentException(DEPLOY_MODE + " must be client or cluster, not '" + deployMode + "'");
        }
        if ("cluster".equals(deployMode) && !(sparkMaster.equals("yarn") || sparkMaster.startsWith("k8s://"))) {
            throw new IllegalArgumentException(DEPLOY_MODE + "=cluster needs a yarn or k8s:// master, not " + sparkMaster);
        }
        if (sessionIdleTimeout == null || sessionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException(IDLE_TIMEOUT + " must not be negative (0 = never)");
        }
        if (maxSessions < 1 || maxStartingSessions < 1) {
            throw new IllegalArgumentException(MAX_SESSIONS + " and " + MAX_STARTING + " must be at least 1");
        }
        if (maxStatementOutput < 1024 || maxStatementOutput > MAX_STATEMENT_OUTPUT_CEILING) {
            throw new IllegalArgumentException(MAX_STATEMENT_OUTPUT + " must be between 1k and 1g, not "
                    + maxStatementOutput + " bytes");
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
        return edit(e -> e.port = newPort);
    }

    public GatewayConfig withSessionStartTimeout(Duration timeout) {
        return edit(e -> e.sessionStartTimeout = timeout);
    }

    public GatewayConfig withEngineJar(Path jar) {
        return edit(e -> e.engineJar = jar);
    }

    public GatewayConfig withHost(String newHost) {
        return edit(e -> e.host = newHost);
    }

    public GatewayConfig withAuth(AuthSettings settings) {
        return edit(e -> e.auth = settings);
    }

    public GatewayConfig withStateDir(Path dir) {
        return edit(e -> e.stateDir = dir);
    }

    public GatewayConfig withReconnectGrace(Duration grace) {
        return edit(e -> e.reconnectGrace = grace);
    }

    public GatewayConfig withMaxStartingSessions(int n) {
        return edit(e -> e.maxStartingSessions = n);
    }

    public GatewayConfig withMaxStatementOutput(long bytes) {
        return edit(e -> e.maxStatementOutput = bytes);
    }

    /** A copy with some values changed: the one place besides the constructor that lists every component. */
    private GatewayConfig edit(Consumer<Editor> change) {
        Editor e = new Editor(this);
        change.accept(e);
        return e.build();
    }

    /** The components of a config being copied; lives only inside {@link #edit}. */
    private static final class Editor {
        String host;
        int port;
        Path engineJar;
        String python;
        String sparkMaster;
        Duration sessionStartTimeout;
        int channelPort;
        AuthSettings auth;
        Path stateDir;
        Duration reconnectGrace;
        String launcher;
        Path sparkHome;
        String deployMode;
        Duration sessionIdleTimeout;
        int maxSessions;
        int maxStartingSessions;
        boolean allowMasterOverride;
        ResourceLimits resourceLimits;
        long maxStatementOutput;

        Editor(GatewayConfig c) {
            host = c.host;
            port = c.port;
            engineJar = c.engineJar;
            python = c.python;
            sparkMaster = c.sparkMaster;
            sessionStartTimeout = c.sessionStartTimeout;
            channelPort = c.channelPort;
            auth = c.auth;
            stateDir = c.stateDir;
            reconnectGrace = c.reconnectGrace;
            launcher = c.launcher;
            sparkHome = c.sparkHome;
            deployMode = c.deployMode;
            sessionIdleTimeout = c.sessionIdleTimeout;
            maxSessions = c.maxSessions;
            maxStartingSessions = c.maxStartingSessions;
            allowMasterOverride = c.allowMasterOverride;
            resourceLimits = c.resourceLimits;
            maxStatementOutput = c.maxStatementOutput;
        }

        GatewayConfig build() {
            return new GatewayConfig(host, port, engineJar, python, sparkMaster, sessionStartTimeout, channelPort, auth,
                    stateDir, reconnectGrace, launcher, sparkHome, deployMode, sessionIdleTimeout, maxSessions,
                    maxStartingSessions, allowMasterOverride, resourceLimits, maxStatementOutput);
        }
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
        String sparkHome = firstNonBlank(v.get(SPARK_HOME), env.get("SPARK_HOME"));
        return new GatewayConfig(
                v.get(HOST),
                parseInt(PORT, v.get(PORT)),
                jar == null ? null : Path.of(jar).toAbsolutePath().normalize(),
                v.get(PYTHON),
                v.get(SPARK_MASTER),
                parseDuration(START_TIMEOUT, v.get(START_TIMEOUT)),
                parseInt(CHANNEL_PORT, v.get(CHANNEL_PORT)),
                new AuthSettings(AuthSettings.parseMethods(AUTH_METHODS, v.get(AUTH_METHODS)), path(v.get(AUTH_TOKENS_FILE)),
                        path(v.get(AUTH_USERS_FILE)), AuthSettings.parseUsers(v.get(AUTH_SUPERUSERS)),
                        AuthSettings.parseBoolean(CSRF_ENABLED, v.get(CSRF_ENABLED)),
                        AuthSettings.parseBoolean(ALLOW_UNAUTHENTICATED, v.get(ALLOW_UNAUTHENTICATED))),
                Path.of(v.get(STATE_DIR)).toAbsolutePath().normalize(),
                parseDuration(RECONNECT_GRACE, v.get(RECONNECT_GRACE)),
                v.get(LAUNCHER),
                sparkHome == null ? null : Path.of(sparkHome).toAbsolutePath().normalize(),
                v.get(DEPLOY_MODE),
                parseDuration(IDLE_TIMEOUT, v.get(IDLE_TIMEOUT)),
                parseInt(MAX_SESSIONS, v.get(MAX_SESSIONS)),
                parseInt(MAX_STARTING, v.get(MAX_STARTING)),
                parseBoolean(ALLOW_MASTER_OVERRIDE, v.get(ALLOW_MASTER_OVERRIDE)),
                resourceLimits(v),
                parseSize(MAX_STATEMENT_OUTPUT, v.get(MAX_STATEMENT_OUTPUT)));
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
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)b?", Pattern.CASE_INSENSITIVE);

    /** A size in bytes: {@code 64m}, {@code 512k}, {@code 1g} (binary units) or a bare number of bytes. */
    static long parseSize(String key, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
                if (n <= Long.MAX_VALUE >> shift) {
                    return n << shift;
                }
            } catch (NumberFormatException e) {
                // too many digits: answered below
            }
        }
        throw new IllegalArgumentException(key + " must be a size like 64m, 512k or 1g, not '" + text + "'");
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

    private static boolean parseBoolean(String key, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + text + "'");
        };
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

    private static Path path(String text) {
        return text == null ? null : Path.of(text).toAbsolutePath().normalize();
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
        d.put(AUTH_METHODS, "none");
        d.put(AUTH_TOKENS_FILE, null);
        d.put(AUTH_USERS_FILE, null);
        d.put(AUTH_SUPERUSERS, null);
        d.put(CSRF_ENABLED, "false");
        d.put(ALLOW_UNAUTHENTICATED, "false");
        d.put(STATE_DIR, Path.of(System.getProperty("user.home"), ".hearth", "gateway-state").toString());
        d.put(RECONNECT_GRACE, "120s");
        d.put(LAUNCHER, "auto");
        d.put(SPARK_HOME, null);
        d.put(DEPLOY_MODE, "client");
        d.put(IDLE_TIMEOUT, "1h");
        d.put(MAX_SESSIONS, "20");
        d.put(MAX_STARTING, "4");
        d.put(ALLOW_MASTER_OVERRIDE, "false");
        d.put(MAX_MEMORY, "64g");
        d.put(MAX_CORES, "64");
        d.put(MAX_EXECUTORS, "1000");
        d.put(MAX_STATEMENT_OUTPUT, "64m");
        return java.util.Collections.unmodifiableMap(d);
    }
}
