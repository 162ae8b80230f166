package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Gateway;
import io.hearth.gateway.TestConfig;
import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password guessing against a real gateway over real HTTP: back-off per user and per client address, a bounded share
 * of the CPU for password checks, and nothing secret or forged in the log. Each test speaks from its own loopback
 * address (all of 127/8 is loopback on Linux), so the address counts of one test do not meet another's. No Spark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasswordGuessingTest {

    private static final String ALICE_TOKEN = "alice-token-0123456789abcdef";
    private static final String BOB_PASSWORD = "bob-password-0123456789";
    private static final String WRONG_PASSWORD = "guess-0123456789";
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) .*");
    private static final Pattern RETRY_AFTER = Pattern.compile("(?im)^Retry-After: *(\\d+)\\r?$");

    private Gateway gateway;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private PrintStream originalErr;

    /** One raw HTTP/1.1 answer. */
    record Reply(int status, int retryAfter, String body) {}

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new Tee(originalErr, logged), true, StandardCharsets.UTF_8));
        SecureRandom random = new SecureRandom();
        // carol's hash has production rounds, so that unknown users cost what they cost in production (the decoy).
        Path users = Files.writeString(dir.resolve("users"), "bob:"
                + PasswordHash.create(BOB_PASSWORD.toCharArray(), CredentialFiles.TEST_ITERATIONS, random).encoded()
                + "\ncarol:" + PasswordHash.create("carol-password-0123".toCharArray(), PasswordHash.DEFAULT_ITERATIONS,
                random).encoded() + "\n");
        AuthSettings settings = new AuthSettings(Set.of(AuthSettings.Method.TOKEN, AuthSettings.Method.BASIC),
                CredentialFiles.tokens(dir, Map.of("alice", ALICE_TOKEN)), users, Set.of(), false, false);
        Path brokenJar = Files.writeString(dir.resolve("broken-engine.jar"), "not a jar");
        gateway = Gateway.start(TestConfig.of(brokenJar, "python3")
                .with(Settings.STATE_DIR, Files.createTempDirectory("hearth-test-state-")).withAuth(settings).build());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        System.setErr(originalErr);
    }

    @Test
    @Order(1)
    void wrongPasswordsForOneUserBackOffLongerEachTimeAndTheRightPasswordWaitsItsTurn() throws Exception {
        String from = "127.0.0.11";
        for (int i = 0; i < LoginThrottle.USER_FREE_FAILURES; i++) {
            assertEquals(401, get(from, basic("bob", WRONG_PASSWORD)).status(), "wrong password " + (i + 1));
        }
        Reply blocked = get(from, basic("bob", BOB_PASSWORD));
        assertEquals(429, blocked.status(), "the right password during the back-off: " + blocked);
        assertEquals(1, blocked.retryAfter(), blocked.toString());
        assertTrue(blocked.body().contains("wait 1 s"), blocked.body());

        Thread.sleep(blocked.retryAfter() * 1000L + 100);
        assertEquals(401, get(from, basic("bob", WRONG_PASSWORD)).status(), "one more wrong password, checked");
        Reply longer = get(from, basic("bob", BOB_PASSWORD));
        assertEquals(429, longer.status(), longer.toString());
        assertEquals(2, longer.retryAfter(), "each block is twice the last: " + longer);

        Thread.sleep(longer.retryAfter() * 1000L + 100);
        assertEquals(200, get(from, basic("bob", BOB_PASSWORD)).status(), "the right password once the wait is over");
        // The success cleared bob's count: a typo now is only a 401.
        assertEquals(401, get(from, basic("bob", WRONG_PASSWORD)).status());
        assertEquals(200, get(from, basic("bob", BOB_PASSWORD)).status());
    }

    @Test
    @Order(2)
    void guessesSpreadOverManyUserNamesFromOneAddressBlockThatAddressOnly() throws Exception {
        String from = "127.0.0.12";
        for (int i = 0; i < LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            assertEquals(401, get(from, basic(randomUser(), WRONG_PASSWORD)).status(), "guess " + (i + 1));
        }
        Reply blocked = get(from, basic(randomUser(), WRONG_PASSWORD));
        assertEquals(429, blocked.status(), blocked.toString());
        assertTrue(blocked.retryAfter() >= 1, blocked.toString());
        assertTrue(blocked.body().contains("for this address"), blocked.body());
        assertEquals(429, get(from, basic("bob", BOB_PASSWORD)).status(), "nothing is checked from a blocked address");

        assertEquals(401, get("127.0.0.13", basic(randomUser(), WRONG_PASSWORD)).status(), "another address is not");
        assertEquals(200, get("127.0.0.13", basic("bob", BOB_PASSWORD)).status());
    }

    @Test
    @Order(3)
    void aFloodOfWrongPasswordsFromManyAddressesLeavesTokenUsersFast() throws Exception {
        String token = "Bearer " + ALICE_TOKEN;
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("127.0.0.1", token).status(), "warm-up");
        }
        int flooders = 16;
        long floodNanos = 10_000_000_000L;
        Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        long end = System.nanoTime() + floodNanos;
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < flooders; t++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    // Many addresses, fresh user names: neither back-off stops this flood, only the pool bounds it.
                    String from = "127.0.1." + (1 + next.getAndIncrement() % 250);
                    try {
                        int status = get(from, basic(randomUser(), WRONG_PASSWORD)).status();
                        floodStatuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    } catch (IOException e) {
                        floodStatuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }, "test-login-flood-" + t);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(500);
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        while (System.nanoTime() < end - 500_000_000L) {
            long t0 = System.nanoTime();
            Reply r = get("127.0.0.1", token);
            micros.add((System.nanoTime() - t0) / 1000);
            assertEquals(200, r.status(), "the token user during the flood: " + r);
            Thread.sleep(20);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        System.out.printf("LoginFlood: %d flooders x %d s, flood answers %s; token user: %d requests, median %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms%n", flooders, floodNanos / 1_000_000_000L, floodStatuses,
                sorted.size(), median / 1000.0, p99 / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
        assertEquals(Set.of(401, 429), floodStatuses.keySet(),
                "wrong passwords are refused (401) or, past the pool's queue, told to come back (429): " + floodStatuses);
        // The target is 200 ms (docs/benchmarks.md); the bound here allows for a machine shared with other tests.
        assertTrue(p99 < 1_000_000, "the token user's p99 during the flood was " + p99 / 1000 + " ms");
    }

    @Test
    @Order(4)
    void theLogNamesUserAndAddressButNeverThePasswordOrTokenAndCannotBeForged() throws Exception {
        assertEquals(401, get("127.0.0.14", basic("mallory\n[main] INFO forged line", WRONG_PASSWORD)).status());
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("Wrong password for user 'bob' from 127.0.0.11"), log);
        assertTrue(log.contains("Wrong password for user 'mallory?[main] INFO forged line' from 127.0.0.14"), log);
        assertFalse(log.contains("\n[main] INFO forged line"), "a user name cannot start a log line of its own");
        long busyLines = log.lines().filter(l -> l.contains("Too many password checks at once")).count();
        assertTrue(busyLines <= 3, "a flood is reported with counts every 10 s, not line by line: " + busyLines);
        for (String secret : List.of(WRONG_PASSWORD, BOB_PASSWORD, ALICE_TOKEN)) {
            assertFalse(log.contains(secret), "the log holds a secret");
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String randomUser() {
        return "guess-" + UUID.randomUUID();
    }

    /** GET /sessions over a fresh connection from {@code localAddress}: java.net.http cannot choose its source address. */
    private Reply get(String localAddress, String authorization) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", gateway.port()), 5_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher status = STATUS.matcher(answer.lines().findFirst().orElse(""));
            if (!status.matches()) {
                throw new IOException("not an HTTP answer: " + answer);
            }
            Matcher retry = RETRY_AFTER.matcher(answer);
            int head = answer.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(status.group(1)), retry.find() ? Integer.parseInt(retry.group(1)) : 0,
                    head < 0 ? "" : answer.substring(head + 4));
        }
    }
}
