package io.hearth.gateway.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's Spark settings for every session and batch, and the order they apply in (lowest first): what the
 * gateway derives (the Ivy cache under its state directory, the driver's bind address), the distribution's
 * {@code spark-defaults.conf}, the gateway config file's {@code spark.*} keys, the gateway's master, then what the
 * session or batch asks for. Spark's own defaults lie under all of them. The gateway merges the layers itself and hands
 * the engine one file, so every launcher applies the same order.
 *
 * @param master          {@code hearth.spark.master}
 * @param deployMode      {@code hearth.spark.deploy-mode}
 * @param gatewayHost     where engines dial the gateway: the driver's address when {@link DriverAddresses} derives one
 * @param ivyDir          where Spark's Ivy resolution caches packages unless a layer sets {@code spark.jars.ivy};
 *                        null for Spark's default (the engine user's home)
 * @param defaultsFile    the {@code spark-defaults.conf} entries, read once at start-up
 * @param gatewayDefaults the config file's {@code spark.*} keys
 * @param usersShareHost  whether engines of different users run on this host as their own OS accounts: then a local
 *                        engine's Spark UI is off unless a layer turns it on (see {@link #UI_ENABLED})
 */
public record SparkDefaults(String master, String deployMode, String gatewayHost, Path ivyDir,
                            Map<String, String> defaultsFile, Map<String, String> gatewayDefaults,
                            boolean usersShareHost) {

    private static final Logger LOG = LoggerFactory.getLogger(SparkDefaults.class);

    /** The Spark setting naming Ivy's cache and retrieval directory. */
    public static final String IVY_DIR = "spark.jars.ivy";
    /** Only Hearth's own settings choose these; a {@code spark-defaults.conf} line naming them is passed over. */
    private static final List<String> MASTER_KEYS = List.of("spark.master", "spark.submit.deployMode");
    /**
     * A local engine's UI listens on the gateway host's loopback without authentication (Spark's ACLs need a login
     * filter): any local account could read another user's jobs, SQL plans and environment there, and kill their
     * jobs. A remote notebook user cannot reach a loopback UI anyway, so a shared host turns it off by default.
     */
    static final String UI_ENABLED = "spark.ui.enabled";

    public SparkDefaults {
        defaultsFile = Map.copyOf(defaultsFile);
        gatewayDefaults = Map.copyOf(gatewayDefaults);
    }

    /**
     * Reads {@code spark-defaults.conf} from {@code confDir} (none there: no entries), keeping its {@code spark.*}
     * keys as Spark does, values trimmed.
     *
     * @throws IOException when the file exists but cannot be read
     */
    public static SparkDefaults load(String master, String deployMode, String gatewayHost, Path ivyDir, Path confDir,
                                     Map<String, String> gatewayDefaults, boolean usersShareHost) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Path file = confDir == null ? null : confDir.resolve("spark-defaults.conf");
        if (file != null && Files.isRegularFile(file)) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            for (String key : props.stringPropertyNames()) {
                if (MASTER_KEYS.contains(key)) {
                    LOG.warn("{} in {} is ignored: hearth.spark.master and hearth.spark.deploy-mode decide", key, file);
                } else if (key.startsWith("spark.")) {
                    entries.put(key, props.getProperty(key).trim());
                }
            }
        }
        return new SparkDefaults(master, deployMode, gatewayHost, ivyDir, entries, gatewayDefaults, usersShareHost);
    }

    /**
     * The configuration an engine or batch starts with.
     *
     * @param requested what the session or batch asked for (its {@code spark.master} only where the operator allows
     *                  it), over everything
     */
    public Map<String, String> apply(Map<String, String> requested) {
        String effectiveMaster = requested.getOrDefault("spark.master", master);
        String effectiveMode = requested.getOrDefault("spark.submit.deployMode", deployMode);
        Map<String, String> conf = new LinkedHashMap<>();
        if (ivyDir != null) {
            conf.put(IVY_DIR, ivyDir.toString());
        }
        conf.putAll(DriverAddresses.derive(gatewayHost, effectiveMaster, effectiveMode));
        if (usersShareHost && effectiveMaster.startsWith("local")) {
            conf.put(UI_ENABLED, "false");
        }
        conf.putAll(defaultsFile);
        conf.putAll(gatewayDefaults);
        conf.put("spark.master", master);
        conf.putAll(requested);
        return conf;
    }
}
