package io.hearth.engine.start;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

/**
 * What makes {@code s3a://} and {@code s3://} work in a new session with no set-up, and fail fast enough for a notebook:
 * S3A for the {@code s3} and {@code s3n} schemes (as EMR users write them), the AWS SDK's standard credential chain
 * after any keys the session gives, and retries measured in seconds rather than S3A's minutes. Each is a Hadoop setting,
 * given to Spark as {@code spark.hadoop.<key>} (so executors get it too) only when neither the session's conf nor the
 * cluster's Hadoop configuration ({@code core-site.xml}) sets the key.
 */
final class ObjectStorageDefaults {

    static final String S3A = "org.apache.hadoop.fs.s3a.S3AFileSystem";

    /**
     * Session keys ({@code fs.s3a.access.key}, {@code secret.key}, {@code session.token}) first, then the SDK's default
     * chain: Java system properties, environment, web identity, profile files ({@code ~/.aws/credentials}), container
     * and instance roles. S3A's own default stops at environment variables and the instance role.
     */
    static final String CREDENTIAL_CHAIN = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider,"
            + "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider,"
            + "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

    /** Hadoop key -> the value a session gets unless it or the cluster sets its own. */
    static final Map<String, String> DEFAULTS = defaults();

    private ObjectStorageDefaults() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("fs.s3.impl", S3A);
        d.put("fs.s3n.impl", S3A);
        d.put("fs.s3a.aws.credentials.provider", CREDENTIAL_CHAIN);
        // S3A's defaults (30 s to connect, 5 SDK attempts inside each of 7 S3A retries) keep a notebook cell silent for
        // minutes on a wrong endpoint, before any Spark job exists to show progress. A cell should fail within seconds:
        // one SDK attempt, two S3A retries. 15 s is the least connect timeout S3A accepts (it raises anything lower).
        d.put("fs.s3a.connection.establish.timeout", "15s");
        d.put("fs.s3a.attempts.maximum", "1");
        d.put("fs.s3a.retry.limit", "2");
        d.put("fs.s3a.retry.interval", "250ms");
        return d;
    }

    /** Fills in each default that neither {@code conf} ({@code spark.hadoop.*}) nor the site configuration sets. */
    static void apply(SparkConf conf) {
        Configuration site = new Configuration();
        DEFAULTS.forEach((key, value) -> {
            if (!conf.contains("spark.hadoop." + key) && !setBySite(site, key)) {
                conf.set("spark.hadoop." + key, value);
            }
        });
    }

    /** Whether a key has a value from anywhere but Hadoop's own {@code core-default.xml}. */
    private static boolean setBySite(Configuration site, String key) {
        if (site.get(key) == null) {
            return false;
        }
        String[] sources = site.getPropertySources(key);
        if (sources == null) {
            return true;
        }
        for (String source : sources) {
            if (!source.equals("core-default.xml")) {
                return true;
            }
        }
        return false;
    }
}
