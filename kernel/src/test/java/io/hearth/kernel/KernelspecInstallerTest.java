package io.hearth.kernel;

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

    @Test
    void writesKernelJsonAndLogos() throws Exception {
        Path jar = temp.resolve("kernel/target/hearth-kernel.jar");
        Path prefix = temp.resolve("prefix");
        Path dir = installer(jar).install(InstallOptions.parse(List.of("--prefix", prefix.toString())));

        assertEquals(prefix.resolve("share/jupyter/kernels/hearth-pyspark"), dir);
        JsonObject spec = read(dir.resolve("kernel.json"));
        JsonArray argv = spec.getAsJsonArray("argv");
        assertEquals(4, argv.size());
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().toString(), argv.get(0).getAsString());
        assertEquals("-jar", argv.get(1).getAsString());
        assertEquals(jar.toAbsolutePath().toString(), argv.get(2).getAsString());
        assertEquals("{connection_file}", argv.get(3).getAsString());
        assertEquals("PySpark (Hearth)", spec.get("display_name").getAsString());
        assertEquals("python", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        assertEquals(0, spec.getAsJsonObject("env").size());
        assertTrue(spec.getAsJsonObject("metadata").has("hearth"));
        for (String logo : List.of("logo-32x32.png", "logo-64x64.png")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(dir.resolve(logo)), 4);
            assertArrayEquals(PNG_MAGIC, head, logo);
        }
    }

    @Test
    void gatewayGoesIntoEnvAndNameIntoThePath() throws Exception {
        Path prefix = temp.resolve("p");
        Path dir = installer(temp.resolve("hearth-kernel.jar")).install(InstallOptions.parse(List.of(
                "--prefix=" + prefix, "--gateway", "http://gw.example:18998", "--name", "hearth-test")));

        assertEquals(prefix.resolve("share/jupyter/kernels/hearth-test"), dir);
        JsonObject env = read(dir.resolve("kernel.json")).getAsJsonObject("env");
        assertEquals("http://gw.example:18998", env.get("HEARTH_GATEWAY_URL").getAsString());
    }

    @Test
    void reinstallReplacesTheEarlierSpec() throws Exception {
        Path prefix = temp.resolve("again");
        installer(temp.resolve("a.jar")).install(InstallOptions.parse(List.of("--prefix", prefix.toString(), "--gateway", "http://x:1")));
        Path dir = installer(temp.resolve("b.jar")).install(InstallOptions.parse(List.of("--prefix", prefix.toString())));

        JsonObject spec = read(dir.resolve("kernel.json"));
        assertEquals(temp.resolve("b.jar").toString(), spec.getAsJsonArray("argv").get(2).getAsString());
        assertFalse(spec.getAsJsonObject("env").has("HEARTH_GATEWAY_URL"));
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of()));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "--gateway", "http://x:1")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--bogus")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--gateway", "localhost:8998")));
        assertThrows(IllegalArgumentException.class, () -> InstallOptions.parse(List.of("--prefix", "/tmp/p", "--name", "a/b")));

        InstallOptions options = InstallOptions.parse(List.of("--prefix", "rel"));
        assertTrue(options.prefix().isAbsolute());
        assertEquals(Optional.empty(), options.gatewayUrl());
        assertEquals(InstallOptions.DEFAULT_NAME, options.name());
    }
}
