package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.gateway.Gateway;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may call what, over real HTTP against one gateway with a real engine: users alice (owner), bob (another user),
 * admin (superuser) and an anonymous caller, with and without {@code doAs}, times every session endpoint. Each cell
 * states the exact status expected; the test lists every cell that answered otherwise.
 *
 * <p>One real session (alice's, running as proxy user alice) serves every cell that does not end it; the sessions made
 * by the create cells are the targets of the delete cells, and are deleted while their engines still start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixTest {

    private static final Duration START = Duration.ofSeconds(150);

    /** A caller: the headers it sends and the {@code doAs} it adds to every path (null: none). */
    private record As(String name, Map<String, String> headers, String doAs) {
        As doAs(String user) {
            return new As(name + "?doAs=" + user, headers, user);
        }

        String path(String path) {
            return doAs == null ? path : path + (path.contains("?") ? "&" : "?") + "doAs=" + doAs;
        }
    }

    private static final As ALICE = new As("alice", Http.bearer("alice-token-0123456789abcdef"), null);
    private static final As BOB = new As("bob", Http.bearer("bob-token-0123456789abcdefgh"), null);
    private static final As ADMIN = new As("admin", Http.bearer("admin-token-0123456789abcdef"), null);
    private static final As ANONYMOUS = new As("anonymous", Map.of(), null);

    /** Callers who may use alice's session, and those who may not, with the status they get. */
    private static final List<As> ALLOWED = List.of(ALICE, ADMIN, ADMIN.doAs("alice"), ALICE.doAs("alice"));
    private static final Map<As, Integer> DENIED = denied();

    private Gateway gateway;
    private Http http;
    private int alices;
    /** An application in the allowed directory; it need not exist. */
    private String batchFile;
    private final List<String> mismatches = new ArrayList<>();

    private static Map<As, Integer> denied() {
        Map<As, Integer> m = new LinkedHashMap<>();
        m.put(BOB, 403);
        m.put(ADMIN.doAs("bob"), 403);
        m.put(BOB.doAs("alice"), 403);
        m.put(ANONYMOUS, 401);
        m.put(ANONYMOUS.doAs("alice"), 401);
        return m;
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (As a : List.of(ALICE, BOB, ADMIN)) {
            tokens.put(a.name(), a.headers().get("Authorization").substring("Bearer ".length()));
        }
        AuthSettings auth = new AuthSettings(Set.of(AuthSettings.Method.TOKEN), CredentialFiles.tokens(dir, tokens),
                null, Set.of("admin"), false, false);
        String jar = System.getProperty("hearth.engine.jar");
        String python = System.getProperty("hearth.python");
        assertNotNull(jar, "hearth.engine.jar is set by the pom's surefire configuration");
        assertTrue(java.nio.file.Files.isRegularFile(Path.of(jar)), "build the engine first: " + jar);
        gateway = Gateway.start(TestConfig.of(Path.of(jar), python)
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-"))
                .with(Settings.ALLOWED_LOCAL_DIRS, dir).withAuth(auth).build());
        batchFile = dir.resolve("nonexistent/job.py").toString();
        http = new Http(gateway.baseUrl());
        Http.Reply created = http.post("/sessions", ALICE.headers(), "{\"kind\": \"pyspark\", \"name\": \"alices\","
                + " \"proxyUser\": \"alice\", \"conf\": {\"spark.ui.enabled\": \"false\"}}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        alices = created.json().get("id").getAsInt();
        await("/sessions/" + alices, s -> {
            String state = s.get("state").getAsString();
            if (state.equals("dead")) {
                fail("alice's session died: " + s);
            }
            return state.equals("idle");
        });
        // Statement 0: who Spark thinks it runs as.
        assertEquals(201, http.post("/sessions/" + alices + "/statements", ALICE.headers(),
                "{\"code\": \"spark.sparkContext.sparkUser()\"}").status());
        await("/sessions/" + alices + "/statements/0", st -> st.get("state").getAsString().equals("available"));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void onlyTheOwnerAndSuperusersReachEverySessionEndpoint() {
        String s = "/sessions/" + alices;
        List<String[]> endpoints = List.of(
                new String[] {"GET", s, null, "200"},
                new String[] {"GET", s + "/state", null, "200"},
                new String[] {"GET", s + "/log", null, "200"},
                new String[] {"GET", s + "/statements", null, "200"},
                new String[] {"POST", s + "/statements", "{\"code\": \"1 + 1\"}", "201"},
                new String[] {"GET", s + "/statements/0", null, "200"},
                new String[] {"POST", s + "/statements/0/cancel", "", "200"},
                new String[] {"POST", s + "/completion", "{\"code\": \"spark.sparkC\", \"cursor\": 12}", "200"},
                new String[] {"POST", s + "/inspect", "{\"code\": \"spark\", \"cursor\": 5}", "200"},
                // A route nobody has written yet is guarded all the same: the owner learns it does not exist.
                new String[] {"GET", s + "/some-future-extension", null, "404"});
        for (String[] e : endpoints) {
            for (As caller : ALLOWED) {
                expect(caller, e[0], e[1], e[2], Integer.parseInt(e[3]));
            }
            DENIED.forEach((caller, status) -> expect(caller, e[0], e[1], e[2], status));
        }
        // Names are per owner: to another user, alice's name names nothing of theirs.
        for (As caller : ALLOWED) {
            expect(caller, "GET", "/sessions/alices", null, 200);
        }
        expect(BOB, "GET", "/sessions/alices", null, 404);
        expect(ADMIN.doAs("bob"), "GET", "/sessions/alices", null, 404);
        expect(BOB.doAs("alice"), "GET", "/sessions/alices", null, 403);
        expect(ANONYMOUS, "GET", "/sessions/alices", null, 401);
        // Refused deletes leave the session alone; its owner deletes it last of all.
        DENIED.forEach((caller, status) -> expect(caller, "DELETE", s, null, status));
        assertNoMismatches();

        // Refused calls had no effect: only statement 0 and the allowed callers' statements exist.
        assertEquals(1 + ALLOWED.size(),
                http.get(s + "/statements", ADMIN.headers()).json().get("total_statements").getAsInt());
        JsonObject view = http.get(s, ALICE.headers()).json();
        assertEquals("alice", view.get("owner").getAsString());
        assertEquals("alice", view.get("proxyUser").getAsString());
        assertEquals("idle", view.get("state").getAsString());
    }

    @Test
    @Order(2)
    void theProxyUserIsWhoSparkRunsAs() {
        JsonObject st = http.get("/sessions/" + alices + "/statements/0", ALICE.headers()).json();
        assertEquals("'alice'", st.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString(),
                String.valueOf(st));
    }

    @Test
    @Order(3)
    void creatingListingAndDeletingFollowOwnershipProxyUserAndDoAs() {
        expect(ANONYMOUS, "POST", "/sessions", "{}", 401);
        expect(BOB, "POST", "/sessions", "{\"proxyUser\": \"alice\"}", 403);
        expect(BOB.doAs("alice"), "POST", "/sessions", "{}", 403);
        expect(ALICE, "POST", "/sessions", "{\"proxyUser\": \"admin\"}", 403);
        expect(ADMIN.doAs("bob"), "POST", "/sessions", "{\"proxyUser\": \"alice\"}", 403);
        assertNoMismatches();

        JsonObject bobs = create(BOB, "{\"name\": \"bobs\", \"proxyUser\": \"bob\"}", "bob", "bob");
        JsonObject bobsByAdmin = create(ADMIN.doAs("bob"), "{\"name\": \"bobs-by-admin\"}", "bob", null);
        JsonObject carols = create(ADMIN, "{\"name\": \"carols\", \"proxyUser\": \"carol\"}", "admin", "carol");
        int b1 = bobs.get("id").getAsInt();
        int b2 = bobsByAdmin.get("id").getAsInt();
        int c = carols.get("id").getAsInt();

        assertEquals(Set.of(alices), listed(ALICE));
        assertEquals(Set.of(b1, b2), listed(BOB));
        assertEquals(Set.of(b1, b2), listed(ADMIN.doAs("bob")));
        assertEquals(Set.of(alices, b1, b2, c), listed(ADMIN));
        expect(ANONYMOUS, "GET", "/sessions", null, 401);
        expect(BOB, "GET", "/sessions/carols", null, 404);
        expect(BOB, "GET", "/sessions/" + c, null, 403);

        expect(ANONYMOUS, "DELETE", "/sessions/" + b1, null, 401);
        expect(ALICE, "DELETE", "/sessions/" + b1, null, 403);
        expect(ADMIN.doAs("alice"), "DELETE", "/sessions/" + b1, null, 403);
        expect(BOB, "DELETE", "/sessions/" + b1, null, 200);
        expect(BOB, "DELETE", "/sessions/" + b1, null, 404);
        expect(ALICE.doAs("bob"), "DELETE", "/sessions/" + b2, null, 403);
        expect(ADMIN.doAs("bob"), "DELETE", "/sessions/" + b2, null, 200);
        expect(BOB, "DELETE", "/sessions/carols", null, 404);
        expect(BOB, "DELETE", "/sessions/" + c, null, 403);
        expect(ADMIN, "DELETE", "/sessions/carols", null, 200);
        assertNoMismatches();
        assertEquals(Set.of(alices), listed(ADMIN));
    }

    /**
     * A session name is its owner's: another user may choose the same one, and neither learns of the other's session
     * from a refusal, an answer or a path.
     */
    @Test
    @Order(4)
    void twoUsersMayNameASessionAlikeAndNeitherLearnsOfTheOther() {
        int alicesEtl = create(ALICE, "{\"name\": \"etl\"}", "alice", null).get("id").getAsInt();
        int bobsEtl = create(BOB, "{\"name\": \"etl\"}", "bob", null).get("id").getAsInt();
        Http.Reply again = http.post("/sessions", ALICE.headers(), "{\"name\": \"etl\"}");
        assertEquals(400, again.status(), String.valueOf(again.body()));
        assertTrue(again.json().get("msg").getAsString().contains("you already have a session of that name"),
                String.valueOf(again.body()));
        assertEquals(alicesEtl, http.get("/sessions/etl", ALICE.headers()).json().get("id").getAsInt());
        assertEquals(bobsEtl, http.get("/sessions/etl", BOB.headers()).json().get("id").getAsInt());
        expect(BOB, "DELETE", "/sessions/etl", null, 200);
        expect(ALICE, "GET", "/sessions/etl", null, 200);
        expect(ALICE, "DELETE", "/sessions/etl", null, 200);
        expect(ADMIN, "GET", "/sessions/" + bobsEtl, null, 404);
        expect(ADMIN, "GET", "/sessions/" + alicesEtl, null, 404);
        assertNoMismatches();
    }

    @Test
    @Order(5)
    void theOwnerDeletesHerSession() {
        expect(ALICE, "DELETE", "/sessions/" + alices, null, 200);
        expect(ADMIN, "GET", "/sessions/" + alices, null, 404);
        assertNoMismatches();
    }

    @Test
    @Order(6)
    void batchesFollowTheSameOwnershipRules() {
        // The application need not exist: a batch that fails to run is still alice's, listed and guarded.
        Http.Reply created = http.post("/batches", ALICE.headers(), "{\"file\": \"" + batchFile + "\"}");
        assertEquals(201, created.status(), String.valueOf(created.body()));
        assertEquals("alice", created.json().get("owner").getAsString());
        String b = "/batches/" + created.json().get("id").getAsInt();
        for (String path : List.of(b, b + "/state", b + "/log")) {
            for (As caller : ALLOWED) {
                expect(caller, "GET", path, null, 200);
            }
            DENIED.forEach((caller, status) -> expect(caller, "GET", path, null, status));
        }
        expect(BOB, "POST", "/batches", "{\"file\": \"/x.py\", \"proxyUser\": \"alice\"}", 403);
        expect(ANONYMOUS, "POST", "/batches", "{\"file\": \"/x.py\"}", 401);
        DENIED.forEach((caller, status) -> expect(caller, "DELETE", b, null, status));
        assertNoMismatches();
        assertEquals(0, http.get("/batches", BOB.headers()).json().get("total").getAsInt(), "bob sees no batch");
        assertEquals(1, http.get("/batches", ADMIN.headers()).json().get("total").getAsInt());
        expect(ALICE, "DELETE", b, null, 200);
        assertNoMismatches();

        // Batch names are per owner too: bob may use alice's, and hers stays hidden from him.
        String nightly = "{\"file\": \"" + batchFile + "\", \"name\": \"nightly\"}";
        Http.Reply named = http.post("/batches", ALICE.headers(), nightly);
        assertEquals(201, named.status(), String.valueOf(named.body()));
        expect(BOB, "GET", "/batches/nightly", null, 404);
        Http.Reply bobs = http.post("/batches", BOB.headers(), nightly);
        assertEquals(201, bobs.status(), String.valueOf(bobs.body()));
        Http.Reply again = http.post("/batches", BOB.headers(), nightly);
        assertEquals(400, again.status(), String.valueOf(again.body()));
        assertEquals(bobs.json().get("id").getAsInt(),
                http.get("/batches/nightly", BOB.headers()).json().get("id").getAsInt());
        assertEquals(named.json().get("id").getAsInt(),
                http.get("/batches/nightly", ALICE.headers()).json().get("id").getAsInt());
        expect(BOB, "DELETE", "/batches/nightly", null, 200);
        expect(ALICE, "DELETE", "/batches/nightly", null, 200);
        assertNoMismatches();
    }

    private JsonObject create(As caller, String body, String owner, String proxyUser) {
        Http.Reply r = http.post(caller.path("/sessions"), caller.headers(), body);
        assertEquals(201, r.status(), caller.name() + " POST /sessions " + body + " -> " + r.body());
        JsonObject s = r.json();
        assertEquals(owner, s.get("owner").getAsString());
        assertEquals(proxyUser, s.get("proxyUser").isJsonNull() ? null : s.get("proxyUser").getAsString());
        return s;
    }

    private Set<Integer> listed(As caller) {
        Http.Reply r = http.get(caller.path("/sessions"), caller.headers());
        assertEquals(200, r.status(), String.valueOf(r.body()));
        Set<Integer> ids = new HashSet<>();
        for (JsonElement s : r.json().getAsJsonArray("sessions")) {
            ids.add(s.getAsJsonObject().get("id").getAsInt());
        }
        assertEquals(ids.size(), r.json().get("total").getAsInt(), "total counts only the sessions shown");
        return ids;
    }

    private void expect(As caller, String method, String path, String body, int status) {
        Http.Reply r = http.send(method, caller.path(path), caller.headers(), body);
        boolean msgShaped = status < 400 || (r.body() != null && r.json().has("msg"));
        if (r.status() != status || !msgShaped) {
            mismatches.add(caller.name() + " " + method + " " + path + ": expected " + status + ", got " + r.status()
                    + " " + r.body());
        }
    }

    private void assertNoMismatches() {
        List<String> found = List.copyOf(mismatches);
        mismatches.clear();
        assertEquals(List.of(), found, "cells that answered otherwise");
    }

    private JsonObject await(String path, Predicate<JsonObject> done) {
        long deadline = System.nanoTime() + START.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            Http.Reply r = http.get(path, ALICE.headers());
            if (r.status() == 200) {
                last = r.json();
                if (done.test(last)) {
                    return last;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("timed out waiting on " + path + "; last answer: " + last);
    }
}
