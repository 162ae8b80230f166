package io.hearth.gateway.launch;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Starts a batch: the user's application submitted as a plain Spark job, as Livy runs batches. */
public interface BatchLauncher {

    /**
     * What a batch needs to start.
     *
     * @param file      the application: a .py file or a jar
     * @param className the main class of a jar application, or null
     * @param sparkConf the full Spark configuration, {@code spark.master} included
     * @param proxyUser who the application runs as (spark-submit's {@code --proxy-user}), or null
     * @param exitFile  where spark-submit's exit code is written when it ends, for a gateway that restarted meanwhile
     * @param account   the OS account spark-submit runs as ({@link EngineAccounts}), or null for the gateway's own
     * @param workDir   with an account, the directory that is that account's for this batch (its working directory
     *                  and settings file); else null
     */
    record BatchLaunchSpec(int batchId, String file, String className, List<String> args,
                           Map<String, String> sparkConf, String proxyUser, java.nio.file.Path exitFile,
                           OsAccount account, java.nio.file.Path workDir) {
        public BatchLaunchSpec {
            args = List.copyOf(args);
            sparkConf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sparkConf));
        }
    }

    /** Starts the batch; its output goes to {@code log}. Returns once the process exists. */
    EngineProcess launchBatch(BatchLaunchSpec spec, SessionLog log) throws IOException;
}
