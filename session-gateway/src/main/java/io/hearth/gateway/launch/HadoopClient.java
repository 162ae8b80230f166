package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What spark-submit needs to reach a Hadoop cluster: the client configuration directory ({@code HADOOP_CONF_DIR}:
 * the ResourceManager's and the NameNode's addresses), and where YARN containers find Spark's jars.
 *
 * @param confDir  given to spark-submit as {@code HADOOP_CONF_DIR}; null: spark-submit inherits the gateway's
 *                 {@code HADOOP_CONF_DIR} / {@code YARN_CONF_DIR}, if any
 * @param yarnJars {@code spark.yarn.jars} for applications on YARN that set neither it nor {@code spark.yarn.archive};
 *                 null: spark-submit uploads the distribution's jars for every application
 */
public record HadoopClient(Path confDir, String yarnJars) {

    /** No Hadoop settings of the gateway's own. */
    public static final HadoopClient NONE = new HadoopClient(null, null);

    static boolean isYarn(String master) {
        return "yarn".equals(master);
    }

    /** Adds {@code HADOOP_CONF_DIR} to spark-submit's environment; for YARN, refuses to start without any. */
    void addEnvironment(String master, Map<String, String> childEnv) throws IOException {
        if (confDir != null) {
            if (!Files.isDirectory(confDir)) {
                throw new IOException("hearth.hadoop.conf-dir " + confDir + " is not a directory");
            }
            childEnv.put("HADOOP_CONF_DIR", confDir.toString());
        } else if (isYarn(master) && System.getenv("HADOOP_CONF_DIR") == null
                && System.getenv("YARN_CONF_DIR") == null) {
            throw new IOException("master yarn needs the cluster's Hadoop client configuration (yarn-site.xml, "
                    + "core-site.xml): set hearth.hadoop.conf-dir (HEARTH_HADOOP_CONF_DIR) or HADOOP_CONF_DIR");
        }
    }

    /** Puts {@code spark.yarn.jars} into an application's settings on YARN, unless they say where Spark's jars are. */
    void addSparkConf(String master, Map<String, String> conf) {
        if (isYarn(master) && yarnJars != null && !conf.containsKey("spark.yarn.jars")
                && !conf.containsKey("spark.yarn.archive")) {
            conf.put("spark.yarn.jars", yarnJars);
        }
    }
}
