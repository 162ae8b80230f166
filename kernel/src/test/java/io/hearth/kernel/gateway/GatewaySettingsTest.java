package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway URL and credentials come from the environment, else the user's config file, else the default. */
class GatewaySettingsTest {

    @TempDir
    Path temp;

    private Map<String, String> env(String... pairs) {
        java.util.HashMap<String, String> env = new java.util.HashMap<>();
        env.put("HEARTH_KERNEL_CONFIG", temp.resolve("kernel.json").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void withNothingSetTheDefaultGatewayWithoutCredentials() {
        GatewaySettings s = GatewaySettings.resolve(env());
        assertEquals("http://127.0.0.1:8998", s.url());
        assertEquals(Optional.empty(), s.authorization());
        assertEquals(Optional.empty(), s.problem());
    }

    @Test
    void theConfigFileGivesUrlAndPasswordAndTheEnvironmentWins() throws Exception {
        Files.writeString(temp.resolve("kernel.json"),
                "{\"gateway_url\": \"http://10.0.0.1:9000\", \"user\": \"ada\", \"password\": \"s3cret\"}");
        GatewaySettings fromFile = GatewaySettings.resolve(env());
        assertEquals("http://10.0.0.1:9000", fromFile.url());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("ada:s3cret".getBytes()), fromFile.authorization().get());
        assertFalse(fromFile.toString().contains("s3cret"), "secrets never in toString: " + fromFile);

        GatewaySettings fromEnv = GatewaySettings.resolve(env("HEARTH_GATEWAY_URL", "http://127.0.0.1:7000",
                "HEARTH_GATEWAY_TOKEN", "tok-123"));
        assertEquals("http://127.0.0.1:7000", fromEnv.url());
        assertEquals("Bearer tok-123", fromEnv.authorization().get());
        assertFalse(fromEnv.toString().contains("tok-123"));
    }

    @Test
    void theCaFileComesFromTheEnvironmentElseTheConfigFileRelativeToIt() throws Exception {
        assertEquals(Optional.empty(), GatewaySettings.resolve(env()).caFile());
        Files.writeString(temp.resolve("kernel.json"), "{\"ca_file\": \"certs/ca.pem\"}");
        assertEquals(new CaFile(temp.resolve("certs/ca.pem"), "ca_file in " + temp.resolve("kernel.json")),
                GatewaySettings.resolve(env()).caFile().orElseThrow());
        Files.writeString(temp.resolve("kernel.json"), "{\"ca_file\": \"~/hearth/ca.pem\"}");
        assertEquals(Path.of(System.getProperty("user.home"), "hearth", "ca.pem"),
                GatewaySettings.resolve(env()).caFile().orElseThrow().path());

        GatewaySettings fromEnv = GatewaySettings.resolve(env("HEARTH_GATEWAY_CA_FILE", "/etc/hearth/ca.pem"));
        assertEquals(new CaFile(Path.of("/etc/hearth/ca.pem"), "HEARTH_GATEWAY_CA_FILE"), fromEnv.caFile().orElseThrow());
        assertTrue(fromEnv.toString().contains("caFile=/etc/hearth/ca.pem"), fromEnv.toString());
    }

    @Test
    void aBrokenConfigFileIsReportedNotThrown() throws Exception {
        Files.writeString(temp.resolve("kernel.json"), "{not json");
        GatewaySettings s = GatewaySettings.resolve(env());
        assertTrue(s.problem().orElseThrow().contains(temp.resolve("kernel.json").toString()));
        assertEquals("http://127.0.0.1:8998", s.url());
    }
}
