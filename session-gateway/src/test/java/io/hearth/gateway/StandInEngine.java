package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * A tiny program launched where the engine jar goes, for tests of process handling that need no Spark: it reports what
 * it was given (never the secret's value, read from its standard input; its environment's names; its conf file, which it leaves for the launcher to delete), starts a child process, and then never connects and never exits.
 */
public final class StandInEngine {

    private static final String SOURCE = """
            public class StandIn {
                public static void main(String[] args) throws Exception {
                    String secret = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                    System.out.println("secret on stdin: " + (secret != null && secret.length() > 0)
                            + ", in the environment: " + System.getenv().values().stream()
                                    .anyMatch(v -> secret != null && v.contains(secret))
                            + "; environment " + new java.util.TreeSet<>(System.getenv().keySet()));
                    System.out.println("session " + System.getenv("HEARTH_SESSION_ID") + " dials "
                            + System.getenv("HEARTH_GATEWAY_HOST") + ":" + System.getenv("HEARTH_GATEWAY_PORT"));
                    System.out.println("python " + System.getenv("HEARTH_PYTHON"));
                    System.out.println("local ip " + System.getenv("SPARK_LOCAL_IP"));
                    System.out.println("reconnect grace " + System.getenv("HEARTH_RECONNECT_GRACE"));
                    System.out.println("args " + String.join(" ", args));
                    java.nio.file.Path conf = java.nio.file.Path.of(System.getenv("HEARTH_ENGINE_CONF"));
                    System.out.println("conf mode " + java.nio.file.attribute.PosixFilePermissions.toString(
                            java.nio.file.Files.getPosixFilePermissions(conf)));
                    java.util.Properties props = new java.util.Properties();
                    try (java.io.Reader in = java.nio.file.Files.newBufferedReader(conf)) {
                        props.load(in);
                    }
                    System.out.println("conf " + new java.util.TreeMap<>(props));
                    new ProcessBuilder("sleep", "600").start();
                    System.err.println("to stderr");
                    Thread.sleep(600_000);
                }
            }
            """;

    private StandInEngine() {}

    /** Compiles the program into {@code dir} and returns its runnable jar. */
    public static Path jar(Path dir) throws Exception {
        Path src = dir.resolve("StandIn.java");
        Files.writeString(src, SOURCE);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), src.toString());
        assertEquals(0, rc, "compiling the stand-in engine");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StandIn");
        Path jar = dir.resolve("stand-in-engine.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("StandIn.class"));
            out.write(Files.readAllBytes(dir.resolve("StandIn.class")));
            out.closeEntry();
        }
        return jar;
    }
}
