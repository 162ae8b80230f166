package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The code a user adds to a session, built for a test: a Maven package with a transitive dependency in a repository
 * served on loopback (named by an Ivy settings file, so nothing reaches a real registry; each GET counted), a jar, a
 * jar for the driver's class path, a Python module, a data file and a zip archive, all in {@link #dir()}; and the probe
 * that shows each one on the driver and on an executor.
 */
final class UserLibraries implements AutoCloseable {

    static final String PACKAGE = "io.hearth.pkgtest:greeter:1.0";

    private final Path libs;
    private final Path ivySettings;
    private final HttpServer repository;
    private final Map<String, AtomicInteger> downloads;

    private UserLibraries(Path libs, Path ivySettings, HttpServer repository, Map<String, AtomicInteger> downloads) {
        this.libs = libs;
        this.ivySettings = ivySettings;
        this.repository = repository;
        this.downloads = downloads;
    }

    /** Compiles and packs the libraries under {@code dir} (UDFs against {@code sparkJars}); serves the package. */
    static UserLibraries build(Path dir, Path sparkJars) throws IOException {
        Path libs = Files.createDirectories(dir.resolve("libs"));
        Path classes = compile(dir, sparkJars);
        Path repo = dir.resolve("repo");
        Path words = jar(repo.resolve("io/hearth/pkgtest/greeting-words/1.0/greeting-words-1.0.jar"), classes,
                "io/hearth/pkgtest/Words.class");
        pom(words.resolveSibling("greeting-words-1.0.pom"), "greeting-words", "");
        Path greeter = jar(repo.resolve("io/hearth/pkgtest/greeter/1.0/greeter-1.0.jar"), classes,
                "io/hearth/pkgtest/Greeter.class", "io/hearth/pkgtest/GreetUdf.class");
        pom(greeter.resolveSibling("greeter-1.0.pom"), "greeter", """
                <dependencies><dependency><groupId>io.hearth.pkgtest</groupId>
                <artifactId>greeting-words</artifactId><version>1.0</version></dependency></dependencies>""");
        Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
        HttpServer repository = serve(repo, downloads);
        Path ivySettings = Files.writeString(libs.resolve("ivysettings.xml"), """
                <ivysettings>
                  <settings defaultResolver="loopback"/>
                  <resolvers>
                    <ibiblio name="loopback" m2compatible="true" root="http://127.0.0.1:%d/"/>
                  </resolvers>
                </ivysettings>
                """.formatted(repository.getAddress().getPort()));

        jar(libs.resolve("extra.jar"), classes, "io/hearth/pkgtest/Extra.class", "io/hearth/pkgtest/ExtraUdf.class");
        jar(libs.resolve("on-classpath.jar"), classes, "io/hearth/pkgtest/OnClassPath.class");
        Files.writeString(libs.resolve("hearthmod.py"), "VALUE = 'from pyFiles'\n");
        Files.writeString(libs.resolve("data.txt"), "from files\n");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(libs.resolve("arch.zip")))) {
            zip.putNextEntry(new ZipEntry("inside.txt"));
            zip.write("from archives\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return new UserLibraries(libs, ivySettings, repository, downloads);
    }

    /** The directory of the local files (for {@code hearth.session.allowed-local-dirs}). */
    Path dir() {
        return libs;
    }

    Path ivySettings() {
        return ivySettings;
    }

    Path lib(String name) {
        return libs.resolve(name);
    }

    /** How many times the repository served a file of this name. */
    int downloads(String file) {
        return downloads.entrySet().stream().filter(e -> e.getKey().endsWith("/" + file))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /**
     * Adds to a session request the package (with the Ivy settings that name the loopback repository), {@code jars},
     * {@code pyFiles}, {@code files} and {@code archives} (as {@code arch}).
     */
    void addTo(JsonObject body) {
        body.add("jars", array(lib("extra.jar").toString()));
        body.add("pyFiles", array(lib("hearthmod.py").toString()));
        body.add("files", array(lib("data.txt").toString()));
        body.add("archives", array(lib("arch.zip") + "#arch"));
        JsonObject conf = body.has("conf") ? body.getAsJsonObject("conf") : new JsonObject();
        conf.addProperty("spark.jars.packages", PACKAGE);
        conf.addProperty("spark.jars.ivySettings", ivySettings.toString());
        body.add("conf", conf);
    }

    /** PySpark code printing what the driver and an executor see of each library, one {@code key value} line each. */
    static String probe() {
        return """
                import os
                from pyspark import SparkFiles
                from pyspark.sql.types import StringType
                jvm = sc._jvm
                def on_driver(name):
                    # Spark gives a client-mode driver its files through SparkFiles, a YARN cluster-mode driver in its
                    # container's working directory (as executors).
                    path = SparkFiles.get(name)
                    return path if os.path.exists(path) else name
                print("driver-jvm", jvm.java.lang.ProcessHandle.current().pid())
                print("driver-package", jvm.io.hearth.pkgtest.Greeter.greet())
                print("driver-jars", jvm.io.hearth.pkgtest.Extra.name())
                import hearthmod
                print("driver-pyfiles", hearthmod.VALUE)
                print("driver-files", open(on_driver("data.txt")).read().strip())
                print("driver-archives", open(os.path.join(on_driver("arch"), "inside.txt")).read().strip())
                spark.udf.registerJavaFunction("greet", "io.hearth.pkgtest.GreetUdf", StringType())
                spark.udf.registerJavaFunction("extra", "io.hearth.pkgtest.ExtraUdf", StringType())
                row = spark.range(0, 1, 1, 1).selectExpr("greet(id) AS g", "extra(id) AS e").collect()[0]
                print("executor-package", row.g)
                print("executor-jars", row.e)
                def probe(_):
                    import hearthmod
                    from pyspark import SparkFiles
                    return "|".join([hearthmod.VALUE, open(SparkFiles.get("data.txt")).read().strip(),
                                     open(os.path.join("arch", "inside.txt")).read().strip()])
                print("executor-python", sc.parallelize([0], 1).map(probe).collect()[0])
                """;
    }

    /** The probe's output shows every library on the driver and, from a JVM other than the driver's, on an executor. */
    static void assertProbe(String text) {
        long driverJvm = Long.parseLong(YarnSessionTest.line(text, "driver-jvm"));
        assertEquals("hello from a package", YarnSessionTest.line(text, "driver-package"), text);
        assertEquals("from jars", YarnSessionTest.line(text, "driver-jars"), text);
        assertEquals("from pyFiles", YarnSessionTest.line(text, "driver-pyfiles"), text);
        assertEquals("from files", YarnSessionTest.line(text, "driver-files"), text);
        assertEquals("from archives", YarnSessionTest.line(text, "driver-archives"), text);
        String[] pkg = YarnSessionTest.line(text, "executor-package").split("@");
        assertEquals("hello from a package", pkg[0], text);
        assertNotEquals(driverJvm, Long.parseLong(pkg[1]), "the UDF ran in an executor's JVM: " + text);
        assertEquals("from jars@" + pkg[1], YarnSessionTest.line(text, "executor-jars"), text);
        assertEquals("from pyFiles|from files|from archives", YarnSessionTest.line(text, "executor-python"), text);
    }

    @Override
    public void close() {
        repository.stop(0);
    }

    private static JsonArray array(String value) {
        JsonArray a = new JsonArray();
        a.add(value);
        return a;
    }

    /** Serves {@code root} over HTTP on loopback, counting the GETs of each path. */
    private static HttpServer serve(Path root, Map<String, AtomicInteger> downloads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Path file = root.resolve(path.substring(1)).normalize();
            if (exchange.getRequestMethod().equals("GET")) {
                downloads.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            }
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Compiles the library classes; the UDFs against Spark's Java API from the distribution's jars. */
    private static Path compile(Path dir, Path sparkJars) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/io/hearth/pkgtest"));
        Map<String, String> sources = Map.of(
                "Words", "public final class Words { public static String hello() { return \"hello\"; } }",
                "Greeter", "public final class Greeter { public static String greet() {"
                        + " return Words.hello() + \" from a package\"; } }",
                "GreetUdf", "public final class GreetUdf implements org.apache.spark.sql.api.java.UDF1<Long, String> {"
                        + " public String call(Long x) { return Greeter.greet() + \"@\""
                        + " + ProcessHandle.current().pid(); } }",
                "Extra", "public final class Extra { public static String name() { return \"from jars\"; } }",
                "ExtraUdf", "public final class ExtraUdf implements org.apache.spark.sql.api.java.UDF1<Long, String> {"
                        + " public String call(Long x) { return Extra.name() + \"@\" + ProcessHandle.current().pid(); } }",
                "OnClassPath", "public final class OnClassPath { public static String name() {"
                        + " return \"from the driver's class path\"; } }");
        Path sqlApi;
        try (Stream<Path> jars = Files.list(sparkJars)) {
            sqlApi = jars.filter(j -> j.getFileName().toString().startsWith("spark-sql-api_")).findFirst()
                    .orElseThrow(() -> new AssertionError("no spark-sql-api jar in " + sparkJars));
        }
        List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString(), "--release", "17",
                "-classpath", sqlApi.toString()));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path f = src.resolve(s.getKey() + ".java");
            Files.writeString(f, "package io.hearth.pkgtest;\n" + s.getValue() + "\n");
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the test's classes compile");
        return dir.resolve("classes");
    }

    private static Path jar(Path jar, Path classes, String... entries) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(classes.resolve(entry)));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void pom(Path pom, String artifact, String dependencies) throws IOException {
        Files.writeString(pom, """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>io.hearth.pkgtest</groupId><artifactId>%s</artifactId><version>1.0</version>
                <packaging>jar</packaging>%s</project>
                """.formatted(artifact, dependencies));
    }
}
