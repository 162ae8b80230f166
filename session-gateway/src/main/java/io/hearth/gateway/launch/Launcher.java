package io.hearth.gateway.launch;

import io.hearth.gateway.channel.SessionSecret;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the engine process of a session; where and how (a child JVM, or spark-submit for a cluster) is the launcher's
 * business.
 */
public interface Launcher {

    /**
     * What an engine needs to start for a session.
     *
     * @param sparkConf    the full Spark configuration, {@code spark.master} included
     * @param driverMemory Livy's {@code driverMemory}, or null: the launcher sizes the engine JVM from it
     * @param proxyUser    the user the session runs as, or null for the gateway's own user
     * @param account      the OS account the engine runs as ({@link EngineAccounts}), or null for the gateway's own
     */
    record LaunchSpec(int sessionId, SessionSecret secret, Map<String, String> sparkConf, String driverMemory,
                      String proxyUser, OsAccount account) {
        public LaunchSpec {
            sparkConf = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sparkConf));
        }
    }

    /**
     * Refuses (400, saying why) a session whose settings this launcher cannot honour, before anything is launched; a
     * setting is never silently dropped.
     *
     * @param sparkConf the full Spark configuration the engine would start with
     */
    default void checkSupported(Map<String, String> sparkConf) {}

    /** Starts the engine; its output goes to {@code log}. Returns once the process exists, not once it is ready. */
    EngineProcess launch(LaunchSpec spec, SessionLog log) throws IOException;

    /**
     * The engine process an earlier gateway launched for the session whose log is {@code log}, if it still runs (see
     * {@link EngineProcess#adopt}); a launcher that knows more about what it started says so here.
     */
    default Optional<EngineProcess> adopt(long pid, long startedAt, SessionLog log) {
        return EngineProcess.adopt(pid, startedAt);
    }
}
