package io.hearth.engine;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy (from Maven Central, pinned in the engine's pom) over a local directory,
 * in a JVM of its own on 127.0.0.1, checking AWS signatures against one key pair. Tests seed it through S3's API with
 * the AWS SDK's own client, and may look at what it stored in that directory ({@code <dir>/<bucket>/<key>}).
 */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "hearth-test-access";
    public static final String SECRET_KEY = "hearth-test-secret-7f3a";

    private final Path store;
    private final int port;
    private final Process process;

    private S3TestServer(Path store, int port, Process process) {
        this.store = store;
        this.port = port;
        this.process = process;
    }

    /** Starts the server with its store and log under {@code dir}; returns once it answers HTTP. */
    public static S3TestServer start(Path dir) throws IOException, InterruptedException {
        String jar = System.getProperty("hearth.s3.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("hearth.s3.server.jar (set by the engine's pom) names no file: " + jar);
        }
        Path store = Files.createDirectories(dir.resolve("store"));
        int port = freePort();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store) + "\n");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar, "--properties",
                properties.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        S3TestServer server = new S3TestServer(store, port, process);
        server.awaitHttp(dir.resolve("s3proxy.log"));
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The Hadoop settings (without {@code spark.hadoop.}) that point S3A at this server, credentials left out. */
    public Map<String, String> hadoopSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint());
        s.put("fs.s3a.endpoint.region", "us-east-1");
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        return s;
    }

    public void createBucket(String bucket) {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Puts an object; the bucket must exist. */
    public void put(String bucket, String key, byte[] content) {
        try (S3Client client = client()) {
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        }
    }

    private S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The keys of a bucket's objects, as the store holds them. */
    public List<String> keys(String bucket) throws IOException {
        Path root = store.resolve(bucket);
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private void awaitHttp(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the S3 server exited: " + Files.readString(log));
            }
            try {
                // Unsigned: S3 answers 403, which proves it is serving.
                int status = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 403) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the S3 server did not answer within 60 s: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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
