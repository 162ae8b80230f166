package io.hearth.kernel.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway process from the built jars (as bin/hearth runs it), on a free loopback port, for kernel tests; over
 * HTTPS when its environment names a certificate ({@code HEARTH_GATEWAY_TLS_CERT_FILE}).
 */
public final class RealGateway implements AutoCloseable {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    private final Process process;
    private final String url;

    public RealGateway(Path stateDir) throws Exception {
        this(stateDir, Map.of());
    }

    /** A gateway whose environment also has {@code env} (settings such as TLS files or authentication). */
    public RealGateway(Path stateDir, Map<String, String> env) throws Exception {
        Path gatewayJar = jar();
        Path engineJar = REPO.resolve("engine/target/hearth-engine.jar");
        if (!Files.isRegularFile(gatewayJar) || !Files.isRegularFile(engineJar)) {
            throw new IllegalStateException("build the jars first: mvn -o -q package -DskipTests (missing "
                    + gatewayJar + " or " + engineJar + ")");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        url = (env.containsKey("HEARTH_GATEWAY_TLS_CERT_FILE") ? "https" : "http") + "://127.0.0.1:" + port;
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", gatewayJar.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port))
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(stateDir.resolve("gateway.log").toFile());
        builder.environment().put("HEARTH_ENGINE_JAR", engineJar.toString());
        builder.environment().put("HEARTH_PYTHON", REPO.resolve(".venv/bin/python").toString());
        builder.environment().put("HEARTH_STATE_DIR", stateDir.resolve("state").toString());
        // No pool of warm engines: these tests start the sessions they use, and an extra engine only costs them time.
        builder.environment().put("HEARTH_POOL_SIZE", "0");
        builder.environment().putAll(env);
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the gateway did not start: " + Files.readString(stateDir.resolve("gateway.log")));
            }
            Thread.sleep(100);
        }
    }

    public String url() {
        return url;
    }

    /** The gateway's jar, for its other commands (e.g. {@code tls-selfsigned}). */
    public static Path jar() {
        return REPO.resolve("session-gateway/target/hearth-session-gateway.jar");
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, so that the gateway stops its engines; killed after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
