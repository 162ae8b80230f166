package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.rest.StatementEventStream;
import io.hearth.gateway.threads.NamedThreadFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The statement events endpoint (Server-Sent Events) against a real gateway and one real engine shared by the tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatementEventStreamTest {

    private static final Duration RUN = Duration.ofSeconds(90);
    /** Unread streams held at once in {@link #thousandsOfUnreadStreamsHoldNoThreadWhileHealthAnswersAndAReaderGetsEveryEvent}. */
    private static final int IDLE_STREAMS = Integer.getInteger("hearth.test.idle-streams", 2000);

    private Gateway gateway;
    private LivyClient livy;
    private int session;

    @BeforeAll
    void startSession() {
        try {
            // Room for the idle streams and one reader: one more stream is over the cap.
            gateway = Gateway.start(TestEngine.settings().with(Settings.MAX_STREAMS_PER_USER, IDLE_STREAMS + 1).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        livy = new LivyClient(gateway.baseUrl());
        session = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                .json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", TestEngine.START);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void theFirstPrintedLineArrivesLongBeforeTheStatementEnds() throws IOException {
        int sid = post("print('first', flush=True)\nimport time\ntime.sleep(3)\nprint('last')");
        List<EventStreamClient.Event> events = readAll(sid, Optional.empty());
        EventStreamClient.Event first = events.stream().filter(e -> e.type().equals("output")).findFirst().orElseThrow();
        assertEquals("first\n", first.data().getAsJsonObject().get("text").getAsString());
        assertEquals("stdout", first.data().getAsJsonObject().get("stream").getAsString());
        JsonObject result = last(events).data().getAsJsonObject();
        long started = result.get("started").getAsLong();
        long completed = result.get("completed").getAsLong();
        // Engine and test share the machine's clock: the line came within a second of the start, the end 3 s later.
        assertTrue(first.receivedAtMillis() - started < 1000, "first output " + (first.receivedAtMillis() - started)
                + " ms after the start");
        assertTrue(completed - first.receivedAtMillis() > 2000, "first output only "
                + (completed - first.receivedAtMillis()) + " ms before the end");
        assertEquals(List.of("first\n", "last\n"), events.stream().filter(e -> e.type().equals("output"))
                .map(e -> e.data().getAsJsonObject().get("text").getAsString()).toList());
    }

    @Test
    void theStreamIsStatesOutputAndEndsWithTheResultThatEqualsLivysStatementJson() throws IOException {
        int sid = post("print('hello')\n6*7");
        List<EventStreamClient.Event> events = readAll(sid, Optional.empty());
        assertEquals("result", last(events).type());
        assertEquals(livy.get(statementPath(sid)).body(), last(events).data());
        assertEquals("42", last(events).data().getAsJsonObject().getAsJsonObject("output").getAsJsonObject("data")
                .get("text/plain").getAsString().lines().reduce((a, b) -> b).orElseThrow());
        List<String> states = events.stream().filter(e -> e.type().equals("state"))
                .map(e -> e.data().getAsJsonObject().get("state").getAsString()).toList();
        assertEquals(List.of("waiting", "running", "available"), states);
        assertIdsIncrease(events);
        assertEquals(1, events.get(0).id());
    }

    @Test
    void aSparkJobSendsProgressThatNeverGoesBackwardsAndTheHistoryCoalescesIt() throws IOException {
        int sid = post("import time\n"
                + "spark.sparkContext.parallelize(range(12), 12).map(lambda x: (time.sleep(0.4), x)[1]).count()\n"
                + "spark.sparkContext.parallelize(range(4), 4).map(lambda x: (time.sleep(0.4), x)[1]).count()");
        List<EventStreamClient.Event> live = readAll(sid, Optional.empty());
        List<Double> progress = live.stream().filter(e -> e.type().equals("progress"))
                .map(e -> e.data().getAsJsonObject().get("progress").getAsDouble()).toList();
        assertTrue(progress.size() >= 3, "progress events: " + progress);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress went backwards: " + progress);
        }
        assertTrue(progress.get(0) < 1.0, "the first progress event came only at the end: " + progress);
        JsonObject lastProgress = live.stream().filter(e -> e.type().equals("progress")).reduce((a, b) -> b)
                .orElseThrow().data().getAsJsonObject();
        assertEquals(2, lastProgress.getAsJsonArray("jobs").size(), lastProgress.toString());
        assertTrue(lastProgress.getAsJsonArray("jobs").get(0).getAsJsonObject().has("num_tasks"));
        assertEquals("4", last(live).data().getAsJsonObject().getAsJsonObject("output").getAsJsonObject("data")
                .get("text/plain").getAsString());

        // Read again after the end: consecutive progress events were folded into the latest, ids unchanged.
        List<EventStreamClient.Event> history = readAll(sid, Optional.empty());
        for (int i = 1; i < history.size(); i++) {
            assertFalse(history.get(i).type().equals("progress") && history.get(i - 1).type().equals("progress"),
                    "two progress events in a row in the history: " + history);
        }
        Set<EventStreamClient.Event> seenLive = new HashSet<>(live.stream().map(EventStreamClient.Event::content).toList());
        history.forEach(e -> assertTrue(seenLive.contains(e.content()), "not in the live read: " + e));
    }

    @Test
    void aDroppedConnectionResumesFromTheLastEventIdWithNothingLostOrRepeated() throws IOException {
        int sid = post("import time\nfor i in range(8):\n    print(i, flush=True)\n    time.sleep(0.25)\n'done'");
        List<EventStreamClient.Event> union = new ArrayList<>();
        try (EventStreamClient first = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
            for (int i = 0; i < 4; i++) {
                union.add(first.next().orElseThrow());
            }
        }
        long resumeFrom = last(union).id();
        // Resumed by header, then once more by query parameter, for clients that cannot set headers.
        try (EventStreamClient second = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid),
                Optional.of(resumeFrom))) {
            for (int i = 0; i < 3; i++) {
                union.add(second.next().orElseThrow());
            }
        }
        union.addAll(readAll(sid, "?lastEventId=" + last(union).id()));
        List<EventStreamClient.Event> uninterrupted = readAll(sid, Optional.empty());
        assertEquals(uninterrupted.stream().map(EventStreamClient.Event::content).toList(),
                union.stream().map(EventStreamClient.Event::content).toList());
        assertEquals(8, union.stream().filter(e -> e.type().equals("output")).count());
        assertIdsIncrease(union);
    }

    @Test
    void aLateSubscriberGetsTheWholeHistoryThenTheResult() throws IOException {
        int sid = post("print('a')\nprint('b', file=__import__('sys').stderr)\ndisplay('shown')\n'late'");
        livy.awaitStatementDone(session, sid, RUN);
        List<EventStreamClient.Event> events = readAll(sid, Optional.empty());
        assertEquals(List.of("state", "state", "output", "output", "display", "state", "result"),
                events.stream().map(EventStreamClient.Event::type).toList());
        assertEquals("stderr", events.get(3).data().getAsJsonObject().get("stream").getAsString());
        assertEquals("'shown'", events.get(4).data().getAsJsonObject().getAsJsonObject("data").get("text/plain")
                .getAsString());
        assertEquals(livy.get(statementPath(sid)).body(), last(events).data());
        // Resuming after the result's id: nothing left but the stream's end.
        assertEquals(List.of(), readAll(sid, Optional.of(last(events).id())));
    }

    @Test
    void aCancelledStatementStreamsCancellingThenCancelledThenItsResult() throws IOException {
        int sid = post("import time\ntime.sleep(600)");
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
            List<String> states = new ArrayList<>();
            Optional<EventStreamClient.Event> e;
            while ((e = c.next()).isPresent()) {
                if (e.get().type().equals("state")) {
                    String state = e.get().data().getAsJsonObject().get("state").getAsString();
                    states.add(state);
                    if (state.equals("running")) {
                        assertEquals(200, livy.post(statementPath(sid) + "/cancel", "").status());
                    }
                } else if (e.get().type().equals("result")) {
                    states.add("result: " + e.get().data().getAsJsonObject().get("state").getAsString());
                }
            }
            assertEquals(List.of("waiting", "running", "cancelling", "cancelled", "result: cancelled"), states);
        }
    }

    @Test
    void aStuckClientHoldsUpNeitherTheSessionNorOtherClients() throws Exception {
        // Megabytes of output, and one client that asks for them and then never reads a byte.
        int big = post("for i in range(4000):\n    print('x' * 400)\n'big'");
        URI base = URI.create(gateway.baseUrl());
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = stuck.getOutputStream();
            out.write(("GET " + eventsPath(big) + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            List<EventStreamClient.Event> other = readAll(big, Optional.empty());
            assertEquals("result", last(other).type());
            int next = post("'after'");
            List<EventStreamClient.Event> after = readAll(next, Optional.empty());
            assertEquals("'after'", last(after).data().getAsJsonObject().getAsJsonObject("output")
                    .getAsJsonObject("data").get("text/plain").getAsString());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos());
        }
    }

    @Test
    void anUnknownStatementIs404AndABadLastEventIdIs400() throws IOException {
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(999), Optional.empty())) {
            assertEquals(404, c.status());
            assertTrue(c.body().contains("Statement 999 not found"));
        }
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), "/sessions/77/statements/0/events",
                Optional.empty())) {
            assertEquals(404, c.status());
        }
        int sid = post("1");
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid) + "?lastEventId=soon",
                Optional.empty())) {
            assertEquals(400, c.status());
            assertTrue(c.body().contains("lastEventId"));
        }
    }

    @Test
    void theAnswerIsAnEventStream() throws IOException {
        int sid = post("2");
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
            assertEquals(200, c.status());
            assertTrue(c.contentType().orElseThrow().startsWith("text/event-stream"), c.contentType().toString());
            assertEquals("result", last(c.readAll()).type());
        }
    }

    @Test
    void postingWithAcceptEventStreamAnswersWithTheNewStatementsEventsUpToItsResult() throws IOException {
        List<EventStreamClient.Event> events;
        int sid;
        try (EventStreamClient c = EventStreamClient.post(gateway.baseUrl(), "/sessions/" + session + "/statements",
                "{\"code\": \"print('posted')\\n6*7\"}")) {
            assertEquals(201, c.status());
            assertTrue(c.contentType().orElseThrow().startsWith("text/event-stream"), c.contentType().toString());
            String location = c.header("Location").orElseThrow();
            assertTrue(location.matches("/sessions/" + session + "/statements/\\d+"), location);
            sid = Integer.parseInt(location.substring(location.lastIndexOf('/') + 1));
            events = c.readAll();
        }
        assertEquals(List.of("state", "state", "output", "state", "result"),
                events.stream().map(EventStreamClient.Event::type).toList());
        assertEquals("posted\n", events.get(2).data().getAsJsonObject().get("text").getAsString());
        assertEquals(livy.get(statementPath(sid)).body(), last(events).data());
        // The same events as the events endpoint gives, ids included.
        assertEquals(readAll(sid, Optional.empty()).stream().map(EventStreamClient.Event::content).toList(),
                events.stream().map(EventStreamClient.Event::content).toList());
    }

    @Test
    void aRefusedPostAskingForEventsStillGetsLivysJsonError() throws IOException {
        try (EventStreamClient c = EventStreamClient.post(gateway.baseUrl(), "/sessions/" + session + "/statements",
                "{\"kode\": \"1\"}")) {
            assertEquals(400, c.status());
            assertTrue(c.body().contains("\"msg\""));
        }
        try (EventStreamClient c = EventStreamClient.post(gateway.baseUrl(), "/sessions/4242/statements",
                "{\"code\": \"1\"}")) {
            assertEquals(404, c.status());
            assertTrue(c.body().contains("Session '4242' not found."));
        }
    }

    @Test
    void aQuietStatementGetsKeepAliveCommentsAndStillItsResult() throws IOException {
        int sid = post("import time\ntime.sleep(" + (StatementEventStream.KEEP_ALIVE.toSeconds() + 2) + ")\n'quiet'");
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
            List<EventStreamClient.Event> events = c.readAll();
            assertTrue(c.comments() >= 1, "no keep-alive comment in " + StatementEventStream.KEEP_ALIVE);
            assertEquals("result", last(events).type());
        }
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void thousandsOfUnreadStreamsHoldNoThreadWhileHealthAnswersAndAReaderGetsEveryEvent() throws Exception {
        // Ten lines a second for 20 s: every unread stream has something to be written all along.
        int sid = post("import time\nfor i in range(200):\n    print(i, flush=True)\n    time.sleep(0.1)\n'done'");
        ExecutorService readerThread = Executors.newSingleThreadExecutor(new NamedThreadFactory("test-event-reader", true));
        try (IdleStreamLoad idle = IdleStreamLoad.open(gateway.baseUrl(), eventsPath(sid), IDLE_STREAMS)) {
            Future<List<EventStreamClient.Event>> reader = readerThread.submit(() -> readAll(sid, Optional.empty()));
            // Every stream taken on (on today's main the gateway stopped answering at about 250)...
            IdleStreamLoad.awaitOpenStreams(gateway.baseUrl(), IDLE_STREAMS + 1);
            // ... and the gateway still answers everyone else.
            IdleStreamLoad.HealthTimes health = IdleStreamLoad.timeHealth(gateway.baseUrl(), Duration.ofSeconds(3),
                    Duration.ofSeconds(2));
            int held = IdleStreamLoad.threadsIn("io.hearth.gateway.rest.");
            System.out.println("With " + IDLE_STREAMS + " unread streams open: /health " + health.summary()
                    + "; threads in the stream code: " + held);
            assertEquals(0, health.timedOut(), "/health went unanswered for 2 s: " + health.summary());
            // A snapshot catches at most the two writer threads and a few server threads mid-write, not one per stream.
            assertTrue(held < 20, held + " threads in the event stream code with " + IDLE_STREAMS + " streams open");

            // Past the cap: refused with a message that names the setting, and nothing submitted by a refused POST.
            try (EventStreamClient extra = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
                assertEquals(429, extra.status());
                assertTrue(extra.body().contains(Settings.MAX_STREAMS_PER_USER.key()), "no setting named");
            }
            int statements = livy.get("/sessions/" + session + "/statements").json().get("total_statements").getAsInt();
            try (EventStreamClient extra = EventStreamClient.post(gateway.baseUrl(), "/sessions/" + session
                    + "/statements", "{\"code\": \"1\"}")) {
                assertEquals(429, extra.status());
            }
            assertEquals(statements, livy.get("/sessions/" + session + "/statements").json().get("total_statements")
                    .getAsInt());

            List<EventStreamClient.Event> events = reader.get(RUN.toSeconds(), TimeUnit.SECONDS);
            assertEquals("result", last(events).type());
            assertIdsIncrease(events);
            String printed = events.stream().filter(e -> e.type().equals("output"))
                    .map(e -> e.data().getAsJsonObject().get("text").getAsString())
                    .collect(Collectors.joining());
            assertEquals(IntStream.range(0, 200).mapToObj(i -> i + "\n")
                    .collect(Collectors.joining()), printed);
        } finally {
            readerThread.shutdownNow();
        }
        // The dropped clients' streams end and give their places back.
        IdleStreamLoad.awaitOpenStreams(gateway.baseUrl(), 0);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void closingTheGatewayEndsOpenStreamsEvenWithAStuckClient() throws Exception {
        int sid = post("import time\ntime.sleep(600)");
        URI base = URI.create(gateway.baseUrl());
        try (Socket stuck = new Socket(base.getHost(), base.getPort());
             EventStreamClient live = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), Optional.empty())) {
            stuck.getOutputStream().write(("GET " + eventsPath(sid) + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("state", live.next().orElseThrow().type());
            long start = System.nanoTime();
            gateway.close();
            long closeMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(closeMillis < 15_000, "closing took " + closeMillis + " ms");
            // The stream ends: with the statement cancelled by the session's stop, or cut by the server's stop.
            List<EventStreamClient.Event> rest = new ArrayList<>();
            try {
                rest.addAll(live.readAll());
            } catch (IOException cut) {
                // Also an end.
            }
            assertTrue(rest.isEmpty() || List.of("state", "result").contains(last(rest).type()), rest.toString());
        }
        List<String> leftover = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("hearth-long-poll") || n.startsWith("hearth-session-")
                        || n.startsWith("hearth-event-stream")).toList();
        assertEquals(List.of(), leftover);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private int post(String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", body.toString());
        assertEquals(201, r.status(), String.valueOf(r.body()));
        return r.json().get("id").getAsInt();
    }

    private List<EventStreamClient.Event> readAll(int sid, Optional<Long> lastEventId) throws IOException {
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid), lastEventId)) {
            assertEquals(200, c.status());
            return c.readAll();
        }
    }

    private List<EventStreamClient.Event> readAll(int sid, String query) throws IOException {
        try (EventStreamClient c = EventStreamClient.open(gateway.baseUrl(), eventsPath(sid) + query, Optional.empty())) {
            assertEquals(200, c.status());
            return c.readAll();
        }
    }

    private String statementPath(int sid) {
        return "/sessions/" + session + "/statements/" + sid;
    }

    private String eventsPath(int sid) {
        return statementPath(sid) + "/events";
    }

    private static EventStreamClient.Event last(List<EventStreamClient.Event> events) {
        assertFalse(events.isEmpty(), "no events");
        return events.get(events.size() - 1);
    }

    private static void assertIdsIncrease(List<EventStreamClient.Event> events) {
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).id() > events.get(i - 1).id(), "ids out of order: " + events);
        }
    }
}
