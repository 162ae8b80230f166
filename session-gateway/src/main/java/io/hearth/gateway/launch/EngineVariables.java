package io.hearth.gateway.launch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The part of the gateway's environment an engine (or spark-submit) starts with. Where engines run as their users' own
 * OS accounts: an allow-list, never the whole of it, so that none of the gateway's own settings and credentials
 * ({@code HEARTH_AUTH_*}, {@code HEARTH_STATE_DIR}, tokens, cloud keys) reach users' code, which can read its process's
 * environment and that of every process it starts; names the operator adds with {@code hearth.engine.env} are kept
 * too. Where they run as the gateway's own account ({@link #sameAccount}), its code could read the gateway's
 * environment anyway ({@code /proc/<pid>/environ} of the same user), so an allow-list would protect nothing and only
 * take away what a single user set up (cloud credentials, their own variables): everything but the gateway's own
 * {@code HEARTH_*} settings is kept, as it always was.
 */
public final class EngineVariables {

    /** Kept by exact name: where programs, Java, Spark and Hadoop are, the locale and time zone, the temp dir. */
    public static final List<String> NAMES = List.of("PATH", "LANG", "LANGUAGE", "TZ", "TMPDIR", "HOME", "USER",
            "LOGNAME", "JAVA_HOME", "SPARK_HOME", "HADOOP_HOME", "HADOOP_CONF_DIR", "YARN_CONF_DIR", "KRB5_CONFIG");

    /** Kept by prefix: locale categories, and Spark's and PySpark's own variables as the operator set them. */
    public static final List<String> PREFIXES = List.of("LC_", "SPARK_", "PYSPARK_");

    /** The gateway's own settings: never an engine's, whose own {@code HEARTH_*} variables the launcher sets. */
    static final String GATEWAY_PREFIX = "HEARTH_";

    private final Map<String, String> gatewayEnv;
    private final List<String> extraNames;
    private final boolean allButTheGateways;

    /**
     * The allow-list, for engines that run as their users' own accounts.
     *
     * @param gatewayEnv the gateway's environment ({@link System#getenv()})
     * @param extraNames names kept beside {@link #NAMES} and {@link #PREFIXES} ({@code hearth.engine.env})
     */
    public EngineVariables(Map<String, String> gatewayEnv, List<String> extraNames) {
        this(gatewayEnv, extraNames, false);
    }

    private EngineVariables(Map<String, String> gatewayEnv, List<String> extraNames, boolean allButTheGateways) {
        this.gatewayEnv = Map.copyOf(gatewayEnv);
        this.extraNames = List.copyOf(extraNames);
        this.allButTheGateways = allButTheGateways;
    }

    /**
     * For engines that run as the gateway's own account: every variable but the gateway's {@code HEARTH_*}, which
     * only {@code extraNames} ({@code hearth.engine.env}) bring back.
     */
    public static EngineVariables sameAccount(Map<String, String> gatewayEnv, List<String> extraNames) {
        return new EngineVariables(gatewayEnv, extraNames, true);
    }

    /** The allowed variables of the gateway's environment. */
    public Map<String, String> allowed() {
        Map<String, String> kept = new TreeMap<>();
        gatewayEnv.forEach((name, value) -> {
            if (allows(name)) {
                kept.put(name, value);
            }
        });
        return new LinkedHashMap<>(kept);
    }

    boolean allows(String name) {
        if (allButTheGateways) {
            return !name.startsWith(GATEWAY_PREFIX) || extraNames.contains(name);
        }
        return NAMES.contains(name) || extraNames.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * Replaces {@code processEnv} (a {@link ProcessBuilder}'s, which starts as a copy of the gateway's) with the allowed
     * variables of the gateway's environment and then {@code own}, the launcher's variables for this engine.
     */
    public void apply(Map<String, String> processEnv, Map<String, String> own) {
        processEnv.clear();
        processEnv.putAll(allowed());
        processEnv.putAll(own);
    }
}
