package io.hearth.protocol;

/**
 * What the gateway and an engine must agree on to start one, beside its {@link EngineEnvironment}: the engine's main
 * class (the gateway names it to spark-submit without depending on the engine) and the Spark settings a session gets
 * when neither the client nor the operator chose them.
 */
public final class EngineLaunch {

    /** The engine's entry point, given to spark-submit as the application's main class. */
    public static final String MAIN_CLASS = "io.hearth.engine.EngineMain";

    /** The master of a session when the gateway names none: Spark in the engine's JVM, on all of the machine's cores. */
    public static final String DEFAULT_MASTER = "local[*]";

    private EngineLaunch() {}

    /** {@code spark.app.name} of a session whose client gave it no name. */
    public static String defaultAppName(String sessionId) {
        return "hearth-session-" + sessionId;
    }
}
