package io.hearth.gateway.launch;

import io.hearth.protocol.EngineEnvironment;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Spark settings that carry an engine into a cluster-mode driver (YARN's ApplicationMaster, a Kubernetes driver
 * pod), where neither the gateway's environment nor its file paths follow it.
 *
 * <ul>
 *   <li>Connect-back details: as the driver's environment ({@code spark.yarn.appMasterEnv.*},
 *       {@code spark.kubernetes.driverEnv.*}). Not the secret: YARN writes a container's environment into its launch
 *       script, which the NodeManager keeps and serves beside the container's logs (and Kubernetes shows a pod's
 *       environment to anyone who may read the pod). The secret is the Spark setting
 *       {@link EngineEnvironment#SECRET_PROPERTY}: it travels in spark-submit's private properties file and Spark's
 *       own configuration archive in the application's owner-only staging directory, and the engine removes it before
 *       Spark reads its settings, so it reaches neither the Spark UI, nor event logs, nor executors' conf.</li>
 *   <li>Code: the engine jar is the application resource, which spark-submit uploads; the libraries of the engine
 *       that the distribution lacks go with it (YARN: as one archive, {@link EngineLibraryArchive}, unpacked into the
 *       container's working directory and put on the driver's class path there, as client mode puts them on
 *       {@code spark.driver.extraClassPath}; Kubernetes: {@code spark.jars}, uploaded through
 *       {@code spark.kubernetes.file.upload.path} or present in the image). Spark's own jars come from the
 *       distribution (Spark's default upload, or {@code spark.yarn.jars=local:...} where the nodes have them).</li>
 *   <li>Liveness: spark-submit waits for the application to end ({@code spark.yarn.submit.waitAppCompletion},
 *       {@code spark.kubernetes.submission.waitAppCompletion}), so its exit is the engine's; and YARN makes one
 *       attempt only, since a second ApplicationMaster would be a new engine without the session's state.</li>
 * </ul>
 */
final class ClusterDeploy {

    /**
     * YARN's name for the application resource in the driver container's working directory (Spark's
     * {@code Client.APP_JAR_NAME}); on the system class path the engine finds its classes as it does in client mode,
     * where the Scala and Java interpreters look for them ({@code java.class.path}).
     */
    static final String YARN_APP_JAR = "__app__.jar";
    /** The unpacked library archive in a YARN container ({@code {{PWD}}}: YARN puts the container's directory there). */
    static final String LIBRARIES_IN_CONTAINER = "{{PWD}}/" + EngineLibraryArchive.LINK + "/*";

    private ClusterDeploy() {}

    /**
     * {@code conf} with what a cluster-mode engine needs added; settings the engine cannot run without override the
     * session's.
     *
     * @param engineEnv the engine's launch variables
     * @param secret    the session's secret
     * @param libraries the engine's libraries that the distribution does not hold
     * @param yarnLibraries the same as one archive ({@link EngineLibraryArchive}), for a YARN master; else unused
     */
    static Map<String, String> settings(String master, Map<String, String> conf, Map<String, String> engineEnv,
                                        String secret, List<Path> libraries, Path yarnLibraries) {
        boolean k8s = master.startsWith("k8s://");
        Map<String, String> out = new LinkedHashMap<>(conf);
        String envPrefix = k8s ? "spark.kubernetes.driverEnv." : "spark.yarn.appMasterEnv.";
        engineEnv.forEach((k, v) -> out.put(envPrefix + k, v));
        out.put(EngineEnvironment.SECRET_PROPERTY, secret);
        if (k8s) {
            append(out, "spark.jars", uris(libraries), ",");
            out.put("spark.kubernetes.submission.waitAppCompletion", "true");
        } else {
            shipToYarnContainers(out, yarnLibraries);
            out.merge("spark.driver.extraClassPath", YARN_APP_JAR + File.pathSeparator + LIBRARIES_IN_CONTAINER,
                    (user, ours) -> ours + File.pathSeparator + user);
            out.put("spark.yarn.submit.waitAppCompletion", "true");
            out.put("spark.yarn.maxAppAttempts", "1");
        }
        return out;
    }

    /**
     * {@code conf} with what a cluster-mode engine on a standalone cluster needs: the engine and its libraries by their
     * paths on this host, which must be their paths on every Worker too (the Worker copies the application jar from a
     * {@code file:} URL on its own host), as executors' class paths already require; spark-submit waiting for the
     * driver to end; one run of the driver, never a supervised restart (a new engine without the session's state);
     * and Spark's RPC client rather than the Master's REST server, which takes the settings over plain HTTP without
     * authentication and gives the driver none of spark-submit's environment.
     */
    static Map<String, String> standalone(Map<String, String> conf, Path engineJar, List<Path> libraries) {
        Map<String, String> out = new LinkedHashMap<>(conf);
        String driverPath = java.util.stream.Stream.concat(java.util.stream.Stream.of(engineJar.toAbsolutePath()),
                libraries.stream()).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        out.merge("spark.driver.extraClassPath", driverPath, (user, ours) -> ours + File.pathSeparator + user);
        String executorPath = libraries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        if (!executorPath.isEmpty()) {
            out.merge("spark.executor.extraClassPath", executorPath, (user, ours) -> ours + File.pathSeparator + user);
        }
        out.put("spark.standalone.submit.waitAppCompletion", "true");
        out.put("spark.driver.supervise", "false");
        out.put("spark.master.rest.enabled", "false");
        return out;
    }

    /**
     * What spark-submit's environment gets for a standalone cluster's driver, which receives that environment: the
     * engine's variables and the secret ({@link EngineEnvironment#SECRET_ENV}). On the Worker's host the driver's
     * environment is readable by its account and root only; on its way it crosses the cluster's RPC (from spark-submit
     * to the Master, then to the Worker), as every Spark setting does, which {@code spark.authenticate} with
     * {@code spark.network.crypto.enabled} protects. {@code SPARK_LOCAL_IP} and {@code SPARK_LOCAL_HOSTNAME} describe
     * the gateway's host, not the driver's, so they are left out: the Worker's own apply there.
     */
    static Map<String, String> standaloneEnvironment(Map<String, String> environment, Map<String, String> engineEnv,
                                                     String secret) {
        Map<String, String> out = new LinkedHashMap<>(environment);
        out.remove("SPARK_LOCAL_IP");
        out.remove("SPARK_LOCAL_HOSTNAME");
        out.putAll(engineEnv);
        out.put(EngineEnvironment.SECRET_ENV, secret);
        return out;
    }

    /**
     * Adds the archive of the engine's libraries to {@code spark.yarn.dist.archives}: spark-submit uploads it to the
     * application's staging directory and YARN unpacks it into every container of the application, where executors
     * load the libraries through their class path (and a cluster-mode driver through its own). Nodes need nothing
     * installed.
     */
    static void shipToYarnContainers(Map<String, String> conf, Path archive) {
        append(conf, "spark.yarn.dist.archives", archive.toAbsolutePath().toUri() + "#" + EngineLibraryArchive.LINK, ",");
        conf.merge("spark.executor.extraClassPath", LIBRARIES_IN_CONTAINER,
                (user, ours) -> ours + File.pathSeparator + user);
    }

    private static String uris(List<Path> libraries) {
        return libraries.stream().map(p -> p.toAbsolutePath().toUri().toString()).collect(Collectors.joining(","));
    }

    private static void append(Map<String, String> conf, String key, String values, String separator) {
        if (!values.isEmpty()) {
            conf.merge(key, values, (user, ours) -> user + separator + ours);
        }
    }
}
