package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launch environment: what a launcher writes is what the engine reads, and its secret never shows. */
class EngineEnvironmentTest {

    private static final String PIN = "0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2:E1:F0:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4"
            + ":C3:D2:E1:F0";

    @Test
    void whatTheLauncherWritesTheEngineReadsBack() {
        EngineEnvironment written = new EngineEnvironment("127.0.0.1", 40123, "7", "s3cret", "/opt/py/bin/python",
                Duration.ofSeconds(90), "/state/sessions/7/engine.conf",
                new ChannelTls(ChannelEncryption.ALWAYS, new ChannelFingerprint(PIN)));
        assertEquals(written, EngineEnvironment.from(written.variables(), "s3cret"));
        assertEquals("90000", written.variables().get(EngineEnvironment.RECONNECT_GRACE_ENV));
        assertEquals("always", written.variables().get(EngineEnvironment.CHANNEL_ENCRYPTION_ENV));
    }

    @Test
    void absentOptionalVariablesTakeTheEnginesDefaults() {
        EngineEnvironment written = new EngineEnvironment("127.0.0.1", 40123, "7", "s3cret", null, null, null, null);
        Map<String, String> variables = written.variables();
        assertFalse(variables.containsKey(EngineEnvironment.PYTHON_ENV), variables.toString());
        assertFalse(variables.containsKey(EngineEnvironment.CONF_FILE_ENV), variables.toString());
        EngineEnvironment read = EngineEnvironment.from(variables, "s3cret");
        assertEquals(EngineEnvironment.DEFAULT_PYTHON, read.python());
        assertEquals(EngineEnvironment.DEFAULT_RECONNECT_GRACE, read.reconnectGrace());
        assertNull(read.confFile());
        assertEquals(ChannelTls.LOOPBACK_ONLY, read.tls());
    }

    @Test
    void theSecretNeverShows() {
        EngineEnvironment env = new EngineEnvironment("127.0.0.1", 4040, "s1", "top-secret-value", null, null, null, null);
        assertFalse(env.toString().contains("top-secret-value"), env.toString());
    }

    @Test
    void theSecretTravelsOnStandardInputNeverInTheEnvironment() throws Exception {
        EngineEnvironment written = new EngineEnvironment("127.0.0.1", 4040, "s1", "top-secret-value", null, null, null, null);
        assertFalse(written.variables().toString().contains("top-secret-value"), written.variables().toString());
        java.io.ByteArrayOutputStream stdin = new java.io.ByteArrayOutputStream();
        EngineEnvironment.writeSecret(stdin, "top-secret-value");
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(
                (stdin.toString(java.nio.charset.StandardCharsets.UTF_8) + "what follows is not read").getBytes());
        assertEquals("top-secret-value", EngineEnvironment.readSecret(new java.util.Properties(), Map.of(), in));
        assertEquals('w', in.read(), "the engine reads its line and not a byte more");
        assertNull(EngineEnvironment.readSecret(new java.util.Properties(), Map.of(), java.io.InputStream.nullInputStream()));
    }

    @Test
    void aMissingOrBadVariableIsNamed() {
        Map<String, String> env = new HashMap<>(
                new EngineEnvironment("127.0.0.1", 4040, "s1", "x", null, null, null, null).variables());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineEnvironment.from(env, null)).getMessage()
                .contains("standard input"));
        env.put(EngineEnvironment.GATEWAY_PORT_ENV, "70000");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineEnvironment.from(env, "x")).getMessage()
                .contains(EngineEnvironment.GATEWAY_PORT_ENV));
        env.put(EngineEnvironment.GATEWAY_PORT_ENV, "4040");
        env.put(EngineEnvironment.RECONNECT_GRACE_ENV, "2m");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineEnvironment.from(env, "x")).getMessage()
                .contains(EngineEnvironment.RECONNECT_GRACE_ENV));
        env.remove(EngineEnvironment.RECONNECT_GRACE_ENV);
        env.put(EngineEnvironment.CHANNEL_ENCRYPTION_ENV, "sometimes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineEnvironment.from(env, "x")).getMessage()
                .contains(EngineEnvironment.CHANNEL_ENCRYPTION_ENV));
        env.put(EngineEnvironment.CHANNEL_ENCRYPTION_ENV, "off-host");
        env.put(EngineEnvironment.CHANNEL_FINGERPRINT_ENV, "AB:CD");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineEnvironment.from(env, "x")).getMessage()
                .contains(EngineEnvironment.CHANNEL_FINGERPRINT_ENV));
    }

    @Test
    void aFingerprintIsReadInAnyCaseWithOrWithoutColons() {
        ChannelFingerprint pin = new ChannelFingerprint(PIN);
        assertEquals(pin, new ChannelFingerprint(PIN.toLowerCase(java.util.Locale.ROOT).replace(":", "")));
        assertEquals(PIN, pin.value());
    }

    @Test
    void aClusterDriverTakesItsSecretFromTheSparkPropertyWhichIsThenGone() throws Exception {
        EngineEnvironment written = new EngineEnvironment("gw.example", 40123, "7", "s3cret", "python3",
                Duration.ofSeconds(120), null, new ChannelTls(ChannelEncryption.OFF_HOST, new ChannelFingerprint(PIN)));
        java.util.Properties props = new java.util.Properties();
        props.setProperty(EngineEnvironment.SECRET_PROPERTY, "s3cret");
        props.setProperty("spark.app.name", "x");
        String secret = EngineEnvironment.readSecret(props, Map.of(), java.io.InputStream.nullInputStream());
        assertEquals(written, EngineEnvironment.from(written.variables(), secret));
        assertFalse(props.containsKey(EngineEnvironment.SECRET_PROPERTY), "Spark never sees it: " + props);
        assertEquals("x", props.getProperty("spark.app.name"));
    }

    @Test
    void aStandaloneDriverTakesItsSecretFromItsEnvironmentAndNoChildOfItGetsIt() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of(EngineEnvironment.SECRET_ENV, "s3cret", "PATH", "/bin"));
        assertEquals("s3cret", EngineEnvironment.readSecret(new java.util.Properties(), env,
                new java.io.ByteArrayInputStream("from-stdin\n".getBytes())), "the environment before standard input");
        EngineEnvironment.withoutSecret(env);
        assertEquals(Map.of("PATH", "/bin"), env);
    }
}
