package io.hearth.kernel.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code install} writes a kernel.json Jupyter can start, plus the logos, from the templates on the class path. */
class KernelspecInstallerTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path temp;

    private KernelspecInstaller installer(Path jar) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new KernelspecInstaller(java, jar, getClass().getClassLoader());
    }

    private static JsonObject read(Path kernelJson) throws Exception {
        return JsonParser.parseString(Files.readString(kernelJson)).getAsJsonObject();
    }

    private static final Map<String, String> LANGUAGES = Map.of("pyspark", "python", "spark", "scala", "sql", "sql", "java", "java");
    private static final Map<String, String> NAMES = Map.of("pyspark", "PySpark (Hearth)", "spark", "Spark Scala (Hearth)",
            "sql", "Spark SQL (Hearth)", "java", "Java Spark (Hearth)");

    @Test
    void writesFourKernelspecsWithTheirLanguageKindAndLogos() throws Exception {
        Path jar = temp.resolve("kernel/target/hearth-kernel.jar");
        Path prefix = temp.resolve("prefix");
        List<Path> dirs = installer(jar).install(InstallOptions.parse(List.of("--prefix", prefix.toString())));

        assertEquals(List.of("hearth-pyspark", "hearth-spark", "hearth-sql", "hearth-java"),
                dirs.stream().map(d -> d.getFileName().toString()).toList());
        for (Path dir : dirs) {
            String kind = dir.getFileName().toString().substring("hearth-".length());
            assertEquals(prefix.resolve("share/jupyter/kernels"), dir.getParent());
            JsonObject spec = read(dir.resolve("kernel.json"));
            JsonArray argv = spec.getAsJsonArray("argv");
            assertEquals(4, argv.size());
            assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().toString(), argv.get(0).getAsString());
            assertEquals("-jar", argv.get(1).getAsString());
            assertEquals(jar.toAbsolutePath().toString(), argv.get(2).getAsString());
            assertEquals("{connection_file}", argv.get(3).getAsString());
            assertEquals(NAMES.get(kind), spec.get("display_name").getAsString());
            assertEquals(LANGUAGES.get(kind), spec.get("language").getAsString());
            assertEquals("message", spec.get("interrupt_mode").getAsString());
            assertEquals(kind, spec.getAsJsonObject("env").get("HEARTH_KERNEL_KIND").getAsString());
            assertEquals(kind, spec.getAsJsonObject("metadata").getAsJsonObject("hearth").get("kind").getAsString());
            for (String logo : List.of("logo-32x32.png", "logo-64x64.png")) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve(logo)), 4);
                assertArrayEquals(PNG_MAGIC, head, logo);
            }
        }
    }

    @Test
    void gatewayGoesIntoEnvAndNameIntoThePath() throws Exception {
        Path prefix = temp.resolve("p");
        List<Path> dirs = installer(temp.resolve("hearth-kernel.jar")).install(InstallOptions.parse(List.of(
                "--prefix=" + prefix, "--gateway", "http://gw.example:18998", "--name", "hearth-test")));

        assertEquals(prefix.resolve("share/jupyter/kernels/hearth-test-sql"), dirs.get(2));
        JsonObject env = read(dirs.get(2).resolve("kernel.json")).getAsJsonObject("env");
        assertEquals("http://gw.example:18998", env.get("HEARTH_GATEWAY_URL").getAsString());
    }

    @Test
    void caFileGoesIntoEnvAsAnAbsolutePathAndListShowsItWithTheGateway() throws Exception {
        Path ca = io.hearth.kernel.testing.TestCertificates.writePem(temp.resolve("gateway-ca.pem"),
                io.hearth.kernel.testing.TestCertificates.ca("Hearth test CA").certificate());
        Path prefix = temp.resolve("tls");
        // Relative, as a user types it: the kernel may start in any directory, so the spec holds the absolute path.
        String relative = Path.of("").toAbsolutePath().relativize(ca).toString();
        List<Path> dirs = installer(temp.resolve("k.jar")).install(InstallOptions.parse(List.of("--prefix",
                prefix.toString(), "--gateway", "https://gw.example:8998", "--ca-file", relative)));
        for (Path dir : dirs) {
            JsonObject env = read(dir.resolve("kernel.json")).getAsJsonObject("env");
            assertEquals(ca.toString(), env.get("HEARTH_GATEWAY_CA_FILE").getAsString());
            assertEquals("https://gw.example:8998", env.get("HEARTH_GATEWAY_URL").getAsString());
        }

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, KernelspecCommands.run("list", List.of("--prefix", prefix.toString()), Map.of(), print, print,
                "usage"));
        String listing = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(4, listing.lines().filter(line -> line.endsWith("\tgateway https://gw.example:8998\tCA file " + ca))
                .count(), listing);
    }

    @Test
    void anUnusableCaFileOrACredentialIsRefusedAtInstall() throws Exception {
        Path notPem = Files.writeString(temp.resolve("not.pem"), "hello");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(
                List.of("--prefix", "/tmp/p", "--ca-file", temp.resolve("none.pem").toString())));
        assertEquals("--ca-file " + temp.resolve("none.pem") + " cannot be used: there is no such file",
                missing.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(
                List.of("--prefix", "/tmp/p", "--ca-file", notPem.toString())));
        assertTrue(empty.getMessage().contains("holds no certificate in PEM form"), empty.getMessage());
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(
                List.of("--prefix", "/tmp/p", "--token", "s3cret")));
        assertTrue(token.getMessage().contains("never written into kernelspecs")
                && token.getMessage().contains("HEARTH_GATEWAY_TOKEN"), token.getMessage());
        assertFalse(token.getMessage().contains("s3cret"));
    }

    @Test
    void reinstallReplacesTheEarlierSpec() throws Exception {
        Path prefix = temp.resolve("again");
        installer(temp.resolve("a.jar")).install(InstallOptions.parse(List.of("--prefix", prefix.toString(), "--gateway", "http://x:1")));
        Path dir = installer(temp.resolve("b.jar")).install(InstallOptions.parse(List.of("--prefix", prefix.toString()))).get(0);

        JsonObject spec = read(dir.resolve("kernel.json"));
        assertEquals(temp.resolve("b.jar").toString(), spec.getAsJsonArray("argv").get(2).getAsString());
        assertFalse(spec.getAsJsonObject("env").has("HEARTH_GATEWAY_URL"));
    }

    @Test
    void userAndSysPrefixPlacesFollowJupytersRules() {
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", temp.resolve("data").toString(),
                "VIRTUAL_ENV", temp.resolve("venv").toString());
        assertEquals(temp.resolve("data/kernels"), InstallOptions.parse(List.of("--user"), env).kernelsDir());
        assertEquals(temp.resolve("venv/share/jupyter/kernels"), InstallOptions.parse(List.of("--sys-prefix"), env).kernelsDir());
        assertEquals(temp.resolve("xdg/jupyter/kernels"),
                InstallOptions.parse(List.of(), Map.of("XDG_DATA_HOME", temp.resolve("xdg").toString())).kernelsDir());
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--user", "--sys-prefix"), env));
    }

    @Test
    void listFindsOnlyHearthSpecsAndRemoveDeletesThem() throws Exception {
        Path prefix = temp.resolve("lr");
        installer(temp.resolve("k.jar")).install(InstallOptions.parse(List.of("--prefix", prefix.toString())));
        Path other = prefix.resolve("share/jupyter/kernels/python3");
        Files.createDirectories(other);
        Files.writeString(other.resolve("kernel.json"), "{\"argv\": [\"python\"], \"display_name\": \"Python 3\", \"language\": \"python\"}");
        Map<String, String> env = Map.of("JUPYTER_DATA_DIR", temp.resolve("empty").toString());

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, KernelspecCommands.run("list", List.of("--prefix", prefix.toString()), env, print, print, "usage"));
        String listing = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String kind : LANGUAGES.keySet()) {
            assertTrue(listing.contains("hearth-" + kind + "\t" + kind + "\t" + NAMES.get(kind)), listing);
        }
        assertFalse(listing.contains("python3"), listing);

        assertEquals(0, KernelspecCommands.run("remove", List.of("--prefix", prefix.toString()), env, print, print, "usage"));
        assertEquals(List.of(), KernelspecCommands.find(List.of(prefix.resolve("share/jupyter/kernels"))));
        assertTrue(Files.exists(other.resolve("kernel.json")), "other kernels stay");
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "--gateway", "http://x:1")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--bogus")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--gateway", "localhost:8998")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--name", "a/b")));

        InstallOptions options = InstallOptions.parse(List.of("--prefix", "rel"));
        assertTrue(options.kernelsDir().isAbsolute());
        assertEquals(Optional.empty(), options.gatewayUrl());
        assertEquals(InstallOptions.DEFAULT_NAME, options.name());
    }
}
