package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Gateway;
import io.hearth.gateway.GatewayMain;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bearer tokens and HTTP Basic over real HTTP, the shape of every 401, and where a gateway may listen with and without
 * authentication. No Spark: the engine jar is not a jar, so sessions made here die at once, which ownership does not mind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthenticationTest {

    private static final String ALICE_TOKEN = "alice-token-0123456789abcdef";
    private static final String BOB_PASSWORD = "bob's pässword: with a colon";
    private static final String CAROL_PASSWORD = "carol-password-at-production-strength";
    private static final String WRONG_TOKEN = "wrong-token-0123456789abcdef";
    private static final String WRONG_PASSWORD = "not-bobs-password";

    private Path dir;
    private Path brokenJar;
    private AuthSettings settings;
    private Gateway gateway;
    private Http http;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        // The gateway logs to stderr (slf4j-simple looks System.err up on every line): everything it logs is kept.
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, logged), true, StandardCharsets.UTF_8));
        brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        Path users = dir.resolve("users");
        Files.writeString(users, "bob:" + PasswordHash.create(BOB_PASSWORD.toCharArray(), CredentialFiles.TEST_ITERATIONS,
                new java.security.SecureRandom()).encoded() + "\n# carol's line as hash-password writes it\ncarol:"
                + PasswordHash.create(CAROL_PASSWORD.toCharArray(), PasswordHash.DEFAULT_ITERATIONS,
                new java.security.SecureRandom()).encoded() + "\n");
        settings = new AuthSettings(Set.of(AuthSettings.Method.TOKEN, AuthSettings.Method.BASIC),
                CredentialFiles.tokens(dir, Map.of("alice", ALICE_TOKEN)), users, Set.of("admin"), false, false);
        gateway = Gateway.start(TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-")).withAuth(settings).build());
        http = new Http(gateway.baseUrl());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        System.setErr(originalErr);
    }

    @Test
    void theRightTokenOrPasswordIsLetIn() {
        assertEquals(200, http.get("/sessions", Http.bearer(ALICE_TOKEN)).status());
        assertEquals(200, http.get("/sessions", Http.basic("bob", BOB_PASSWORD)).status());
        // Twice: the second is answered from the verified-password memory, and must agree with the first.
        assertEquals(200, http.get("/sessions", Http.basic("bob", BOB_PASSWORD)).status());
        assertEquals(200, http.get("/sessions", Http.basic("carol", CAROL_PASSWORD)).status());
        // Scheme names are case-insensitive (RFC 7235).
        assertEquals(200, http.get("/sessions", Map.of("Authorization", "bearer " + ALICE_TOKEN)).status());
    }

    @Test
    void missingWrongOrMalformedCredentialsAllGetTheSame401Shape() {
        // Wrong passwords spread over users, under LoginThrottle's count for one (PasswordGuessingTest tests past it).
        List<Map<String, String>> refused = List.of(
                Map.of(),
                Http.bearer(WRONG_TOKEN),
                Http.bearer(""),
                Http.basic("bob", WRONG_PASSWORD),
                Http.basic("carol", CAROL_PASSWORD + "x"),
                Http.basic("nobody", BOB_PASSWORD),
                Http.basic("alice", ALICE_TOKEN),
                Map.of("Authorization", "Basic !!!not-base64"),
                Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("no-colon".getBytes())),
                Map.of("Authorization", "Negotiate abc"),
                Map.of("Authorization", ALICE_TOKEN));
        for (Map<String, String> headers : refused) {
            for (String path : List.of("/sessions", "/sessions/0", "/no/such/route")) {
                Http.Reply r = http.get(path, headers);
                String what = headers + " " + path;
                assertEquals(401, r.status(), what);
                assertEquals(Set.of("msg"), r.json().keySet(), what);
                assertEquals(List.of("Bearer realm=\"hearth\"", "Basic realm=\"hearth\", charset=\"UTF-8\""),
                        r.headers().allValues("WWW-Authenticate"), what);
                assertFalse(r.msg().contains(WRONG_TOKEN) || r.msg().contains(WRONG_PASSWORD)
                        || r.msg().contains(ALICE_TOKEN), "a 401 never repeats a secret: " + r.msg());
            }
        }
        Http.Reply missing = http.get("/sessions", Map.of());
        assertTrue(missing.msg().contains("Bearer <token>") && missing.msg().contains("Basic"), missing.msg());
        assertEquals(401, http.post("/sessions", Http.bearer(WRONG_TOKEN), "{}").status());
        assertEquals(401, http.delete("/sessions/0", Map.of()).status());
    }

    @Test
    void healthAndTheApiDescriptionAreOpenWhileMetricsAndTheVersionNeedCredentials() {
        assertEquals(200, http.get("/health", Map.of()).status());
        assertEquals(200, http.get("/openapi.yaml", Map.of()).status());
        assertEquals(401, http.get("/metrics", Map.of()).status());
        assertEquals(200, http.get("/metrics", Http.bearer(ALICE_TOKEN)).status());
        // As behind Livy's authentication filter: the build's commit and user are no one else's business.
        assertEquals(401, http.get("/version", Map.of()).status());
        assertEquals(200, http.get("/version", Http.bearer(ALICE_TOKEN)).status());
    }

    @Test
    void theSessionsOwnerIsWhoeverAuthenticated() {
        Http.Reply byToken = http.post("/sessions", Http.bearer(ALICE_TOKEN), "{\"kind\": \"pyspark\"}");
        assertEquals(201, byToken.status(), String.valueOf(byToken.body()));
        assertEquals("alice", byToken.json().get("owner").getAsString());
        assertTrue(byToken.json().get("proxyUser").isJsonNull());

        Http.Reply byPassword = http.post("/sessions", Http.basic("bob", BOB_PASSWORD), "{\"proxyUser\": \"bob\"}");
        assertEquals(201, byPassword.status(), String.valueOf(byPassword.body()));
        assertEquals("bob", byPassword.json().get("owner").getAsString());
        assertEquals("bob", byPassword.json().get("proxyUser").getAsString());
    }

    @Test
    void withoutAuthenticationANonLoopbackAddressIsRefusedUnlessExplicitlyAllowed() throws Exception {
        TestConfig open = TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-")).with(Settings.HOST, "0.0.0.0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gateway.start(open.build()));
        assertTrue(e.getMessage().contains("hearth.auth.methods"), e.getMessage());
        assertTrue(e.getMessage().contains("hearth.gateway.allow-unauthenticated"), e.getMessage());

        // The command refuses with exit code 2 and the same explanation (on stderr, captured here), before it looks at
        // anything else: no engine jar is configured, which would otherwise be its complaint.
        int code = new CommandLine(new GatewayMain()).execute("--host", "0.0.0.0", "--port", "0");
        assertEquals(2, code);
        assertTrue(logged.toString(StandardCharsets.UTF_8).contains("hearth-gateway: refusing to listen on 0.0.0.0"),
                logged.toString(StandardCharsets.UTF_8));

        AuthSettings override = new AuthSettings(Set.of(), null, null, Set.of(), false, true);
        try (Gateway g = Gateway.start(open.withAuth(override).build())) {
            Http viaLoopback = new Http("http://127.0.0.1:" + g.port());
            assertEquals(200, viaLoopback.get("/sessions", Map.of()).status());
        }
    }

    @Test
    void withAuthenticationTheGatewayMayListenOnEveryAddress() throws Exception {
        // Plain HTTP beyond loopback takes its own opt-in (HttpsTest covers the refusal without it).
        GatewayConfig everywhere = TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-")).with(Settings.HOST, "0.0.0.0")
                .with(Settings.ALLOW_PLAIN_HTTP, true).withAuth(settings).build();
        try (Gateway g = Gateway.start(everywhere)) {
            Http viaLoopback = new Http("http://127.0.0.1:" + g.port());
            assertEquals(401, viaLoopback.get("/sessions", Map.of()).status());
            assertEquals(200, viaLoopback.get("/sessions", Http.bearer(ALICE_TOKEN)).status());
        }
    }

    @Test
    void aBadCredentialFileStopsTheStartNamingTheLineButNotItsContent() throws Exception {
        Path tokens = Files.writeString(dir.resolve("bad-tokens"), "alice:sha256:" + "ab".repeat(32) + "\n"
                + "bob:" + ALICE_TOKEN + "\n");
        AuthSettings bad = new AuthSettings(Set.of(AuthSettings.Method.TOKEN), tokens, null, Set.of(), false, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gateway.start(TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-")).withAuth(bad).build()));
        assertTrue(e.getMessage().contains("bad-tokens line 2"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE_TOKEN), e.getMessage());
    }

    /** Last: after every other test here has sent its secrets, right and wrong. */
    @Test
    @Order(Integer.MAX_VALUE)
    void noCredentialEverReachesTheLog() {
        http.get("/sessions", Http.bearer(WRONG_TOKEN));
        http.get("/sessions", Http.basic("bob", WRONG_PASSWORD));
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("REST on"), "the gateway's log was captured: " + log);
        for (String secret : List.of(ALICE_TOKEN, BOB_PASSWORD, CAROL_PASSWORD, WRONG_TOKEN, WRONG_PASSWORD,
                java.util.Base64.getEncoder().encodeToString(("bob:" + BOB_PASSWORD).getBytes(StandardCharsets.UTF_8)))) {
            assertFalse(log.contains(secret), "the log holds a secret");
        }
    }
}
