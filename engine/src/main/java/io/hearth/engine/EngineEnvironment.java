package io.hearth.engine;

import io.hearth.protocol.ChannelAuth;
import java.time.Duration;
import java.util.Map;

/**
 * What the gateway's launcher tells the engine through its environment (never argv, so the secret stays out of
 * {@code ps}): where to dial back, which session it serves, its secret, the Python to run statements with, and how long
 * to keep dialling a gateway that went away.
 */
public record EngineEnvironment(String gatewayHost, int gatewayPort, String sessionId, String secret, String python,
                                Duration reconnectGrace) {

    public static final String HOST_ENV = "HEARTH_GATEWAY_HOST";
    public static final String PORT_ENV = "HEARTH_GATEWAY_PORT";
    public static final String SESSION_ENV = "HEARTH_SESSION_ID";
    public static final String PYTHON_ENV = "HEARTH_PYTHON";
    /** Used when HEARTH_PYTHON is absent: whatever python3 is on the PATH. */
    public static final String DEFAULT_PYTHON = "python3";
    /** Milliseconds an engine that lost its gateway keeps trying to reach it again before it stops. */
    public static final String RECONNECT_GRACE_ENV = "HEARTH_RECONNECT_GRACE";
    /** Long enough for a gateway restart, short enough that an engine whose gateway is gone for good does not linger. */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(120);

    /** Reads and checks the variables; the message of a failure names the variable at fault. */
    public static EngineEnvironment from(Map<String, String> env) {
        String host = required(env, HOST_ENV);
        String portText = required(env, PORT_ENV);
        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT_ENV + " is not a port number: " + portText);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(PORT_ENV + " is out of range: " + port);
        }
        String python = env.getOrDefault(PYTHON_ENV, "");
        return new EngineEnvironment(host, port, required(env, SESSION_ENV), required(env, ChannelAuth.SECRET_ENV),
                python.isBlank() ? DEFAULT_PYTHON : python, reconnectGrace(env.get(RECONNECT_GRACE_ENV)));
    }

    private static Duration reconnectGrace(String millis) {
        if (millis == null || millis.isBlank()) {
            return DEFAULT_RECONNECT_GRACE;
        }
        try {
            long ms = Long.parseLong(millis.trim());
            if (ms >= 0) {
                return Duration.ofMillis(ms);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(RECONNECT_GRACE_ENV + " must be a number of milliseconds, not " + millis);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the environment variable " + name + " is not set");
        }
        return value;
    }

    /** Never shows the secret: this record ends up in logs. */
    @Override
    public String toString() {
        return "EngineEnvironment[gateway=" + gatewayHost + ":" + gatewayPort + ", session=" + sessionId
                + ", python=" + python + ", reconnectGrace=" + reconnectGrace.toMillis() + "ms, secret=<hidden>]";
    }
}
