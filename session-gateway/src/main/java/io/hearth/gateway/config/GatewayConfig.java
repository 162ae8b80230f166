package io.hearth.gateway.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The gateway's settings ({@link Settings}), resolved from the command line, the environment, a properties file and
 * the defaults, in that order of precedence, and checked together.
 *
 * <p>{@code HEARTH_GATEWAY_HOST} and {@code HEARTH_GATEWAY_PORT} are also the names under which a launched engine is told
 * where the channel listens; the launcher always sets them explicitly in the engine's environment, so the gateway's own
 * values never leak into an engine.
 */
public final class GatewayConfig {

    /** Spark settings only Hearth's own settings may make: where sessions run. */
    private static final Map<String, Setting<?>> RESERVED_SPARK_KEYS = Map.of("spark.master", Settings.SPARK_MASTER,
            "spark.submit.deployMode", Settings.DEPLOY_MODE);

    private final Map<Setting<?>, Object> values;
    private final Map<String, String> sparkDefaults;
    private final AuthSettings auth;
    private final TlsSettings tls;

    private GatewayConfig(Map<Setting<?>, Object> values, Map<String, String> sparkDefaults) {
        this.values = values;
        this.sparkDefaults = Map.copyOf(sparkDefaults);
        String master = get(Settings.SPARK_MASTER);
        if ("cluster".equals(get(Settings.DEPLOY_MODE))
                && !(master.equals("yarn") || master.startsWith("k8s://") || master.startsWith("spark://"))) {
            throw new IllegalArgumentException(Settings.DEPLOY_MODE.key()
                    + "=cluster needs a yarn, spark:// or k8s:// master, not " + master);
        }
        Set<String> superusers = get(Settings.AUTH_SUPERUSERS);
        this.auth = new AuthSettings(get(Settings.AUTH_METHODS), get(Settings.AUTH_TOKENS_FILE),
                get(Settings.AUTH_USERS_FILE), superusers == null ? Set.of() : superusers, get(Settings.CSRF_ENABLED),
                get(Settings.ALLOW_UNAUTHENTICATED));
        this.tls = new TlsSettings(get(Settings.TLS_CERT_FILE), get(Settings.TLS_KEY_FILE),
                get(Settings.TLS_KEYSTORE_FILE), get(Settings.TLS_KEYSTORE_PASSWORD_FILE), get(Settings.ALLOW_PLAIN_HTTP));
    }

    /**
     * Resolves every setting: command line, then environment, then file, then default.
     *
     * @param cli  values given on the command line, by key
     * @param env  the process environment (variables named by {@link Setting#env()})
     * @param file the {@code --config} properties: Hearth's settings, and {@code spark.*} keys that are Spark defaults for
     *             every session and batch; any other key, an unknown {@code hearth.*} key, a blank {@code spark.*} value
     *             or one of the keys Hearth's own settings decide is a mistake worth stopping for
     * @throws IllegalArgumentException naming the setting whose value is not valid
     */
    public static GatewayConfig resolve(Map<String, String> cli, Map<String, String> env, Properties file) {
        List<String> keys = Settings.ALL.stream().map(Setting::key).toList();
        Map<String, String> sparkDefaults = new java.util.TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("spark.")) {
                sparkDefaults.put(key, sparkDefault(key, file.getProperty(key)));
            } else if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown key " + key + " in the config file: it takes Hearth's"
                        + " settings (" + String.join(", ", keys) + ") and Spark defaults for sessions (spark.*)");
            }
        }
        Map<Setting<?>, Object> values = new HashMap<>();
        for (Setting<?> s : Settings.ALL) {
            String text = firstNonBlank(cli.get(s.key()), env.get(s.env()), file.getProperty(s.key()),
                    s.fallbackEnv() == null ? null : env.get(s.fallbackEnv()), s.defaultValue());
            values.put(s, s.parse(text));
        }
        return new GatewayConfig(values, sparkDefaults);
    }

    private static String sparkDefault(String key, String value) {
        Setting<?> instead = RESERVED_SPARK_KEYS.get(key);
        if (instead != null) {
            throw new IllegalArgumentException(key + " in the config file: the gateway decides it with "
                    + instead.key());
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + " in the config file has no value");
        }
        return value.trim();
    }

    /**
     * The config file's {@code spark.*} keys: Spark settings for every session and batch, over the distribution's
     * {@code spark-defaults.conf} and under what a session or batch sets.
     */
    public Map<String, String> sparkDefaults() {
        return sparkDefaults;
    }

    /** The setting's value; null for one that has no default and was not set. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        // Each value was made by its own setting's type.
        return (T) values.get(setting);
    }

    /**
     * How many warm engines to keep: {@code hearth.pool.size}, or when unset 1 with a {@code local*} master and 0 with a
     * cluster's, whose pooled engines would hold cluster resources nobody uses.
     */
    public int poolSize() {
        int set = get(Settings.POOL_SIZE);
        if (set >= 0) {
            return set;
        }
        return get(Settings.SPARK_MASTER).startsWith("local") ? 1 : 0;
    }

    /** The security settings, from the {@code hearth.auth.*}, CSRF and listen settings. */
    public AuthSettings auth() {
        return auth;
    }

    /** The REST API's TLS settings. */
    public TlsSettings tls() {
        return tls;
    }

    private static String firstNonBlank(String... values) {
        for (String s : values) {
            if (s != null && !s.isBlank()) {
                return s.trim();
            }
        }
        return null;
    }
}
