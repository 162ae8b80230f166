package io.hearth.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for gateway tests: S3Proxy (the jar the engine's build fetches for its own S3 tests) over a
 * local directory, in a JVM of its own on 127.0.0.1, checking AWS signatures against one key pair. A bucket is a
 * directory of that store; objects go through S3's API (the sessions under test write them).
 */
final class S3TestServer implements AutoCloseable {

    static final String ACCESS_KEY = "hearth-gw-access";
    static final String SECRET_KEY = "hearth-gw-secret-5d1c";

    private final Path store;
    private final int port;
    private final Process process;

    private S3TestServer(Path store, int port, Process process) {
        this.store = store;
        this.port = port;
        this.process = process;
    }

    /** Starts the server with its store and log under {@code dir}; returns once it answers HTTP. */
    static S3TestServer start(Path dir) throws IOException, InterruptedException {
        String jar = System.getProperty("hearth.s3.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("hearth.s3.server.jar names no file: " + jar + " (the engine's test build "
                    + "fetches it: mvn -pl engine test-compile)");
        }
        Path store = Files.createDirectories(dir.resolve("s3-store"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store) + "\n");
        Path log = dir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar, "--properties", properties.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        S3TestServer server = new S3TestServer(store, port, process);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                // Unsigned: S3 answers 403, which proves it is serving.
                if (http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 403) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        server.close();
        throw new IllegalStateException("the S3 server did not come up: " + Files.readString(log));
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** An empty bucket is a directory of the store. */
    void createBucket(String bucket) throws IOException {
        Files.createDirectories(store.resolve(bucket));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
