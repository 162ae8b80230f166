package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelFingerprint;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.ChannelTransport;
import io.hearth.protocol.EngineEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine channel inside TLS ({@code hearth.channel.encryption=always}, so on loopback too) between a real gateway
 * and a real engine that dials it through a recording relay, as a sniffer on the link would see it: statements run
 * with their whole output, and the link carries none of the code, the output, the session's secret or its link key in
 * the clear. A plain connection is refused before its session hears of it, and an engine that pins another certificate
 * refuses the gateway, saying why in its log. One session (one Spark start) for all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineChannelTlsTest {

    private Path stateDir;
    private RecordingRelay relay;
    private Gateway gateway;
    private LivyClient livy;
    private int session;

    @BeforeAll
    void startSessionBehindARelay() throws Exception {
        stateDir = TestEngine.stateDir();
        gateway = Gateway.start(TestEngine.settings().with(Settings.STATE_DIR, stateDir)
                .with(Settings.CHANNEL_ENCRYPTION, "always").build(), channel -> {
                    try {
                        relay = RecordingRelay.to(channel);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return relay.address();
                });
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                .json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (relay != null) {
            relay.close();
        }
    }

    private JsonObject run(String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        int statement = livy.post("/sessions/" + session + "/statements", body.toString()).json().get("id").getAsInt();
        JsonObject done = livy.awaitStatementDone(session, statement, Duration.ofMinutes(2));
        JsonObject output = done.getAsJsonObject("output");
        assertEquals("ok", output.get("status").getAsString(), output.toString());
        return output;
    }

    /** The engine's connection: the first the relay saw, made while the session started. */
    private RecordingRelay.Recording enginesLink() {
        return relay.recordings().get(0);
    }

    @Test
    void aStatementRunsOverTlsWithItsWholeOutputAndNothingCrossesTheLinkInTheClear() throws Exception {
        // The marker is built at run time: the code holds its pieces, the output only the whole.
        String output = run("# code-marker-5e1f\nprint('output-' + 'marker-' * 3 + 'x' * 2000000)")
                .getAsJsonObject("data").get("text/plain").getAsString();
        assertEquals("output-marker-marker-marker-" + "x".repeat(2_000_000), output.strip());

        RecordingRelay.Recording link = enginesLink();
        assertEquals(ChannelTransport.TLS_HANDSHAKE_RECORD, link.fromDialler()[0], "the engine opened with TLS");
        assertTrue(link.fromDialler().length > 2_000_000, "the output crossed the relay: " + link.fromDialler().length);
        EngineImpostor thief = new EngineImpostor(stateDir, session);
        for (String clear : List.of("code-marker-5e1f", "output-marker-", "x".repeat(64), thief.secret(),
                thief.linkKey().value(), "\"type\":")) {
            // Only the start of what leaked is named: the secret and the key must not end up in a report either.
            assertFalse(link.contains(clear), () -> "the link carried in the clear: "
                    + clear.substring(0, Math.min(8, clear.length())) + "...");
        }
    }

    @Test
    void aPlainConnectionIsRefusedSayingWhyAndTheSessionGoesOn() throws Exception {
        int before = relay.recordings().size();
        String refusal = new EngineImpostor(stateDir, session).refusedWithTheSecret(relay.address().getPort());
        assertTrue(refusal.contains("plain (unencrypted) channel") && refusal.contains("always"), refusal);
        // The relay sees plain text when plain text crosses it: the refusal, sent in the clear.
        assertTrue(relay.recordings().get(before).contains("plain (unencrypted) channel"));
        assertEquals("idle", livy.get("/sessions/" + session).json().get("state").getAsString());
        assertEquals("2", run("1 + 1").getAsJsonObject("data").get("text/plain").getAsString().strip());
    }

    @Test
    void anEnginePinningAnotherCertificateRefusesTheGatewaySayingWhyInItsLog() throws Exception {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        ChannelFingerprint other = new ChannelFingerprint(HexFormat.of().formatHex(random));
        EngineImpostor thief = new EngineImpostor(stateDir, session);
        Path log = Files.createTempFile(stateDir, "pinned-engine-", ".log");
        ProcessBuilder engine = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", TestEngine.jar().toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        engine.environment().putAll(new EngineEnvironment("127.0.0.1", gateway.channelPort(),
                Integer.toString(session), thief.secret(), TestEngine.python(), Duration.ZERO, null,
                new ChannelTls(ChannelEncryption.ALWAYS, other)).variables());
        Process process = engine.start();
        EngineEnvironment.writeSecret(process.getOutputStream(), thief.secret());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the engine stopped");
        String said = Files.readString(log);
        assertEquals(1, process.exitValue(), said);
        assertTrue(said.contains("not the one this engine was launched to trust") && said.contains(other.value()),
                said);
        assertEquals("idle", livy.get("/sessions/" + session).json().get("state").getAsString());
    }
}
