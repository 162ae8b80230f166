package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.batch.BatchSpec;
import io.hearth.gateway.batch.BatchState;
import io.hearth.gateway.batch.BatchStore;
import io.hearth.gateway.channel.SessionSecret;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SessionSpec;
import io.hearth.gateway.session.SessionStart;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.SparkJob;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementState;
import io.hearth.gateway.session.StatementWarning;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {

    private static final ConfCipher CIPHER = new ConfCipher(new byte[32], new java.security.SecureRandom());

    @TempDir
    Path dir;

    private static SessionSpec fullSpec() {
        return new SessionSpec(Kind.PYSPARK, "etl", "bob", "1g", 2, "2g", 3, 4, "q", List.of("a.jar"), List.of("b.py"),
                List.of("c.txt"), List.of("d.zip"), Map.of("spark.ui.enabled", "false"), 60, "2h", "30m", "alice");
    }

    /** A session's and a batch's secret settings are in the file (and its write-ahead log) only encrypted. */
    @Test
    void secretSettingsAreStoredEncryptedAndReadBackAsTheyWere() throws Exception {
        Path file = dir.resolve("state.db");
        String secret = "s3cr3t-" + java.util.UUID.randomUUID();
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.hadoop.fs.s3a.secret.key", secret);
        conf.put("spark.hadoop.fs.s3a.access.key", "AKIA-" + secret);
        conf.put("spark.ui.enabled", "false");
        SessionSpec spec = fullSpec().withConf(conf);
        BatchSpec batch = new BatchSpec("/a.py", null, List.of(), null, List.of(), List.of(), List.of(), List.of(),
                null, null, null, null, null, null, null, conf, "alice");
        try (SqliteStateStore store = SqliteStateStore.open(file, CIPHER)) {
            store.saveSession(new StateStore.SessionRow(0, spec, SessionState.IDLE, null, null, null, 1, 2, null, "n", null));
            store.saveBatch(new BatchStore.BatchRow(0, batch, BatchState.RUNNING, null, null, 3, 4, "/0.log", null));
            StringBuilder both = new StringBuilder();
            for (Path p : List.of(file, dir.resolve("state.db-wal"))) {
                String raw = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertFalse(raw.contains(secret), p + " holds the secret in the clear");
                both.append(raw);
            }
            assertTrue(both.toString().contains("spark.hadoop.fs.s3a.secret.key"), "the rows were written");
        }
        try (SqliteStateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(conf, store.loadSessions().get(0).session().spec().conf());
            assertEquals(conf, store.loadBatches().get(0).spec().conf());
        }
        ConfCipher other = new ConfCipher(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}, new java.security.SecureRandom());
        try (SqliteStateStore store = SqliteStateStore.open(file, other)) {
            StateStoreException e = org.junit.jupiter.api.Assertions.assertThrows(StateStoreException.class,
                    store::loadSessions);
            assertTrue(e.getMessage().contains("spark.hadoop.fs.s3a") && !e.getMessage().contains(secret),
                    e.getMessage());
        }
    }

    /** Batch ids, like session ids, are never handed out twice, across reopening and deletes. */
    @Test
    void batchIdsAreNeverReused() {
        Path file = dir.resolve("state.db");
        try (SqliteStateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(0, store.reserveBatchId());
            assertEquals(1, store.reserveBatchId());
            store.deleteBatch(1);
        }
        try (SqliteStateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(2, store.reserveBatchId());
            assertEquals(0, store.reserveSessionId(), "sessions count apart");
        }
    }

    private static Statement finished(int id) {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", "42");
        JsonObject figure = new JsonObject();
        figure.addProperty("image/png", "iVBORw0KGgo=");
        return new Statement(id, "print('hi')\n6 * 7", Kind.PYSPARK, StatementState.AVAILABLE,
                List.of(new Statement.StreamText("stdout", "hi\n"), new Statement.StreamText("stderr", "warn")),
                List.of(figure), StatementOutput.ok(id, data), 1.0, List.of(), 1000, 2000, List.of());
    }

    @Test
    void sessionsAndStatementsSurviveReopeningTheFile() {
        Path file = dir.resolve("state.db");
        StateStore.SessionRow row = new StateStore.SessionRow(0, fullSpec(), SessionState.BUSY, "local-1",
                "http://127.0.0.1:4040", "http://nm:8042/node/containerlogs/c1/u", 1234, 5678, null, "nonce-0",
                new SessionStart(SessionStart.Mode.WARM, 42L));
        Statement error = new Statement(1, "1/0", Kind.PYSPARK, StatementState.AVAILABLE, List.of(), List.of(),
                StatementOutput.error(1, "ZeroDivisionError", "division by zero", List.of("tb1\n", "tb2\n")), 1.0,
                List.of(), 3000, 3100, List.of());
        Statement waiting = new Statement(2, "spark.range(3).count()", Kind.SQL, StatementState.WAITING, List.of(),
                List.of(), null, 0, List.of(), 0, 0, List.of());
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(0, store.reserveSessionId());
            assertEquals(1, store.reserveSessionId());
            store.saveChannelPort(40123);
            store.saveSession(row);
            store.saveStatement(0, waiting);
            store.saveStatement(0, finished(0));
            store.saveStatement(0, error);
            store.saveStatement(0, waiting); // a second write of a statement replaces the first
        }
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(OptionalInt.of(40123), store.channelPort());
            assertEquals(2, store.reserveSessionId(), "ids continue after a reopen");
            List<StateStore.StoredSession> all = store.loadSessions();
            assertEquals(1, all.size());
            assertEquals(row, all.get(0).session());
            assertEquals(List.of(summary(finished(0)), summary(error), summary(waiting)), all.get(0).statements());
            assertEquals(List.of(finished(0), error, waiting), List.of(whole(store, 0, 0), whole(store, 0, 1),
                    whole(store, 0, 2)));
            assertTrue(store.loadStatement(0, 3).isEmpty());
        }
    }

    private static StateStore.StatementSummary summary(Statement s) {
        return new StateStore.StatementSummary(s.id(), s.kind(), s.state(), s.progress(), s.started(), s.completed());
    }

    private static Statement whole(StateStore store, int sessionId, int statementId) {
        return store.loadStatement(sessionId, statementId).orElseThrow().statement();
    }

    /**
     * A finished statement's history comes back with the ids it was sent with, sharing the statement's printed pieces
     * and shown values (stored once), and holding whole what the statement no longer has (replaced by a replay).
     */
    @Test
    void aFinishedStatementsHistoryComesBackAsItWasSentWithItsTextStoredOnce() throws Exception {
        Statement st = finished(0);
        String hi = st.streams().get(0).parts().get(0);
        String warn = st.streams().get(1).parts().get(0);
        SparkJob job = new SparkJob(3, "SUCCEEDED", 1, 1, 8, 8, 0, 0);
        StatementWarning held = new StatementWarning("executor-lost", "executor 1 lost", 1500);
        st = new Statement(st.id(), st.code(), st.kind(), st.state(), st.streams(), st.displays(), st.output(),
                st.progress(), List.of(job), st.started(), st.completed(), List.of(held));
        List<StatementEvent> history = List.of(
                new StatementEvent(1, "state", new StatementEvent.StateData("waiting")),
                new StatementEvent(2, "state", new StatementEvent.StateData("running")),
                new StatementEvent(3, "output", new StatementEvent.OutputData("stdout", "before a replay\n")),
                new StatementEvent(4, "output", new StatementEvent.OutputData("stdout", hi)),
                new StatementEvent(6, "progress", new StatementEvent.ProgressData(0.5, List.of(job))),
                new StatementEvent(7, "warning", held),
                new StatementEvent(8, "display", new StatementEvent.DisplayData(st.displays().get(0))),
                new StatementEvent(9, "output", new StatementEvent.OutputData("stderr", warn)),
                new StatementEvent(10, "state", new StatementEvent.StateData("available")),
                new StatementEvent(11, "result", null));
        Path file = dir.resolve("state.db");
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            store.saveFinishedStatement(0, st, history);
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement q = db.createStatement();
             java.sql.ResultSet r = q.executeQuery("SELECT count(*) FROM statement_events WHERE data LIKE '%hi%'"
                     + " OR data LIKE '%warn%' OR data LIKE '%image/png%'")) {
            r.next();
            assertEquals(0, r.getInt(1), "printed pieces and shown values are stored once, with the statement");
        }
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            StateStore.StoredStatement back = store.loadStatement(0, 0).orElseThrow();
            assertEquals(st, back.statement());
            assertEquals(history, back.history());
            assertTrue(back.chars() > 0);
        }
    }

    /** One stored before histories were (an older gateway, or not finished): its history is made from its output. */
    @Test
    void aStatementStoredWithoutAHistoryGetsOneMadeFromItsOutput() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"), CIPHER)) {
            Statement st = finished(0);
            store.saveStatement(0, st);
            List<StatementEvent> history = store.loadStatement(0, 0).orElseThrow().history();
            assertEquals(List.of(
                    new StatementEvent(1, "state", new StatementEvent.StateData("waiting")),
                    new StatementEvent(2, "output", new StatementEvent.OutputData("stdout", "hi\n")),
                    new StatementEvent(3, "output", new StatementEvent.OutputData("stderr", "warn")),
                    new StatementEvent(4, "display", new StatementEvent.DisplayData(st.displays().get(0))),
                    new StatementEvent(5, "state", new StatementEvent.StateData("available")),
                    new StatementEvent(6, "result", null)), history);
        }
    }

    @Test
    void aStatementWithTheWholeDefaultOutputLimitIsKeptByteExact() {
        // 64 MiB in the engine's 32 KiB pieces, with characters JSON escapes and characters of 2 to 4 UTF-8 bytes.
        String piece = ("row \"q\"\t\u00e9\u20ac\ud83c\udf5e\\\n").repeat(2400).substring(0, 32 * 1024 - 16);
        List<String> pieces = java.util.Collections.nCopies(64 * 1024 * 1024 / piece.length(), piece);
        Statement big = new Statement(0, "print(big)", Kind.PYSPARK, StatementState.AVAILABLE,
                List.of(new Statement.StreamText("stdout", pieces)), List.of(), StatementOutput.ok(0, new JsonObject()),
                1.0, List.of(), 1, 2, List.of());
        Path file = dir.resolve("state.db");
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            store.saveSession(new StateStore.SessionRow(0, fullSpec(), SessionState.IDLE, null, null, null, 0, 0, null, "n", null));
            store.saveStatement(0, big);
        }
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            Statement back = whole(store, 0, 0);
            assertEquals(String.join("", pieces), String.join("", back.streams().get(0).parts()));
            assertEquals(pieces.size(), back.streams().get(0).parts().size(), "kept as the pieces it arrived in");
        }
    }

    @Test
    void aStatementStoredWithItsOutputInItsRowByAnEarlierGatewayComesBackWhole() throws Exception {
        Path file = dir.resolve("state.db");
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            store.saveSession(new StateStore.SessionRow(0, fullSpec(), SessionState.IDLE, null, null, null, 0, 0, null, "n", null));
            store.saveStatement(0, finished(0));
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = db.createStatement()) {
            st.execute("DELETE FROM statement_output");
            st.execute("UPDATE statements SET streams = '[{\"name\":\"stdout\",\"text\":\"hi\\n\"},"
                    + "{\"name\":\"stderr\",\"text\":\"warn\"}]'");
        }
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            assertEquals(finished(0), whole(store, 0, 0));
        }
    }

    @Test
    void aDeletedSessionIsGoneWithItsStatementsAndItsIdIsNotHandedOutAgain() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"), CIPHER)) {
            int id = store.reserveSessionId();
            store.saveSession(new StateStore.SessionRow(id, SessionSpec.of(Kind.SQL), SessionState.DEAD, null, null, null, 0,
                    0, "it died", "n", null));
            store.saveStatement(id, finished(0));
            store.saveFinishedStatement(id, finished(1), List.of(new StatementEvent(1, "result", null)));
            store.deleteSession(id);
            assertEquals(List.of(), store.loadSessions());
            assertTrue(store.loadStatement(id, 0).isEmpty() && store.loadStatement(id, 1).isEmpty());
            assertEquals(id + 1, store.reserveSessionId());
        }
    }

    @Test
    void writesAreInTheFileWhenTheCallReturnsWithoutClosingTheStore() {
        Path file = dir.resolve("state.db");
        StateStore writer = SqliteStateStore.open(file, CIPHER);
        try {
            writer.saveSession(new StateStore.SessionRow(7, SessionSpec.of(Kind.SPARK), SessionState.IDLE, null, null,
                    null, 0, 0, null, "n", null));
            writer.saveStatement(7, finished(0));
            // A second connection sees the commit while the first is still open: nothing waits for a close.
            try (StateStore reader = SqliteStateStore.open(file, CIPHER)) {
                List<StateStore.StoredSession> all = reader.loadSessions();
                assertEquals(7, all.get(0).session().id());
                assertEquals(finished(0), whole(reader, 7, 0));
            }
        } finally {
            writer.close();
        }
    }

    @Test
    void theStoreHoldsNoSecretOnlyTheNonceItIsDerivedFrom() throws Exception {
        Path file = dir.resolve("state.db");
        SessionSecrets secrets = SessionSecrets.load(dir.resolve("master.key"), new java.security.SecureRandom());
        String nonce = secrets.newNonce();
        SessionSecret secret = secrets.derive(3, nonce);
        try (StateStore store = SqliteStateStore.open(file, CIPHER)) {
            store.saveSession(new StateStore.SessionRow(3, SessionSpec.of(Kind.PYSPARK), SessionState.IDLE, null, null,
                    null, 0, 0, null, nonce, null));
        }
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                + (Files.exists(dir.resolve("state.db-wal"))
                ? new String(Files.readAllBytes(dir.resolve("state.db-wal")), java.nio.charset.StandardCharsets.ISO_8859_1)
                : "");
        assertTrue(bytes.contains(nonce));
        assertFalse(bytes.contains(secret.value()), "the secret itself must not be stored");
    }
}
