package io.hearth.gateway.yarn;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The test JVM's one YARN + HDFS test bed (the testbed module's {@code TestBedMain}), in a child JVM whose Hadoop
 * class path never meets the gateway's. Started by the first test class that asks for it, shared by all, stopped when
 * the test JVM exits (closing its stdin; it also stops by itself if this JVM dies).
 */
public final class YarnTestBed {

    private static final Duration START = Duration.ofSeconds(180);
    private static final String READY = "hearth testbed ready";

    private final Process process;
    private final Map<String, String> addresses;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private YarnTestBed(Process process, Map<String, String> addresses, Path log) {
        this.process = process;
        this.addresses = addresses;
        this.log = log;
    }

    /** The shared test bed, started on first use. */
    public static YarnTestBed shared() {
        return Shared.BED;
    }

    // The holder idiom starts the bed once per JVM, on first use, without mutable static state.
    private static final class Shared {
        static final YarnTestBed BED = start();
    }

    private static YarnTestBed start() {
        try {
            Path buildDir = Path.of(System.getProperty("hearth.testbed.build",
                    Path.of("..", "testbed", "target").toString())).toAbsolutePath().normalize();
            Path classpathFile = buildDir.resolve("testbed.classpath");
            if (!Files.isRegularFile(classpathFile)) {
                throw new IllegalStateException("no " + classpathFile + ": build the test bed first "
                        + "(mvn -pl testbed package; the root build does it before the gateway's tests)");
            }
            String classpath = buildDir.resolve("classes") + java.io.File.pathSeparator
                    + Files.readString(classpathFile).strip();
            Path dir = Files.createDirectories(Path.of("target")).resolve("yarn-testbed");
            Files.createDirectories(dir);
            Path log = dir.resolve("testbed.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx768m", "-cp", classpath, "io.hearth.testbed.TestBedMain",
                    "--dir", dir.toAbsolutePath().toString())
                    .redirectError(log.toFile());
            Process p = pb.start();
            Map<String, String> addresses = awaitReady(p, log);
            YarnTestBed bed = new YarnTestBed(p, addresses, log);
            Runtime.getRuntime().addShutdownHook(new Thread(bed::stop, "yarn-testbed-stop"));
            return bed;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the YARN test bed", e);
        }
    }

    // Reads "key: value" lines until the ready line; a reader thread keeps the wait bounded.
    private static Map<String, String> awaitReady(Process p, Path log) throws IOException {
        Map<String, String> addresses = new HashMap<>();
        AtomicBoolean ready = new AtomicBoolean();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread timer = new Thread(() -> {
            try {
                if (!p.waitFor(START.toSeconds(), TimeUnit.SECONDS) && !ready.get()) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "yarn-testbed-start-timer");
        timer.setDaemon(true);
        timer.start();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.equals(READY)) {
                ready.set(true);
                // Later lines (its stop messages) are drained so the bed never blocks on a full pipe.
                Thread drain = new Thread(() -> drain(out), "yarn-testbed-stdout");
                drain.setDaemon(true);
                drain.start();
                return Map.copyOf(addresses);
            }
            int colon = line.indexOf(": ");
            if (colon > 0) {
                addresses.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        throw new IllegalStateException("the YARN test bed exited before it was ready (within " + START + "); its log "
                + log + " ends:\n" + tail(log));
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // nothing to keep
            }
        } catch (IOException e) {
            // the bed is gone
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Asks the bed to stop (end of stdin) and waits for it, killing it and its containers only if it hangs. */
    private void stop() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    /** The directory to give clients as HADOOP_CONF_DIR. */
    public Path hadoopConfDir() {
        return Path.of(addresses.get("hadoop-conf-dir"));
    }

    /** The default file system, e.g. {@code hdfs://localhost:PORT}. */
    public String hdfsUri() {
        return addresses.get("hdfs");
    }

    /** The ResourceManager's web address (REST API, application tracking through its proxy). */
    public String resourceManagerWebUrl() {
        return addresses.get("yarn-web");
    }

    /** The NameNode's web address (WebHDFS). */
    public String nameNodeWebUrl() {
        return addresses.get("hdfs-web");
    }

    /** The test bed's JVM: YARN containers run as its descendants. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    /** GET on the ResourceManager's REST API, e.g. {@code /ws/v1/cluster/info}; fails on anything but 200. */
    public JsonObject rm(String path) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(resourceManagerWebUrl() + path))
                .header("Accept", "application/json").GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /** One application's report from the ResourceManager ({@code app} object of {@code /ws/v1/cluster/apps/ID}). */
    public JsonObject application(String appId) {
        return rm("/ws/v1/cluster/apps/" + appId).getAsJsonObject("app");
    }

    /**
     * Kills an application from outside, as an operator would (RM REST, {@code yarn application -kill}'s twin); with
     * simple authentication the caller names itself with {@code user.name}.
     */
    public void killApplication(String appId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(
                        URI.create(resourceManagerWebUrl() + "/ws/v1/cluster/apps/" + appId + "/state?user.name="
                                + System.getProperty("user.name")))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"KILLED\"}")).build());
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw new AssertionError("killing " + appId + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Writes a file into HDFS through WebHDFS (the NameNode redirects the data to the DataNode), replacing it. */
    public void put(String hdfsPath, byte[] content) {
        URI create = URI.create(nameNodeWebUrl() + "/webhdfs/v1" + hdfsPath + "?op=CREATE&overwrite=true&user.name="
                + System.getProperty("user.name"));
        HttpResponse<String> redirect = send(HttpRequest.newBuilder(create)
                .PUT(HttpRequest.BodyPublishers.noBody()).build());
        String location = redirect.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "WebHDFS CREATE " + hdfsPath + " answered " + redirect.statusCode() + " without a redirect: "
                        + redirect.body()));
        HttpResponse<String> written = send(HttpRequest.newBuilder(URI.create(location))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build());
        if (written.statusCode() != 201) {
            throw new AssertionError("WebHDFS write of " + hdfsPath + " answered " + written.statusCode() + ": "
                    + written.body());
        }
    }

    /** The names in an HDFS directory, through WebHDFS. */
    public List<String> list(String hdfsPath) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(nameNodeWebUrl() + "/webhdfs/v1" + hdfsPath
                + "?op=LISTSTATUS&user.name=" + System.getProperty("user.name"))).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("WebHDFS LISTSTATUS " + hdfsPath + " answered " + r.statusCode() + ": "
                    + r.body());
        }
        var statuses = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("FileStatuses")
                .getAsJsonArray("FileStatus");
        return statuses.asList().stream().map(s -> s.getAsJsonObject().get("pathSuffix").getAsString()).sorted()
                .toList();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
