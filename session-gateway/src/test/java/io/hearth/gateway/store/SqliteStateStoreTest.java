package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.channel.SessionSecret;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SessionSpec;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementState;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStateStoreTest {

    @TempDir
    Path dir;

    private static SessionSpec fullSpec() {
        return new SessionSpec(Kind.PYSPARK, "etl", "bob", "1g", 2, "2g", 3, 4, "q", List.of("a.jar"), List.of("b.py"),
                List.of("c.txt"), List.of("d.zip"), Map.of("spark.ui.enabled", "false"), 60, "2h", "30m", "alice");
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
                "http://127.0.0.1:4040", "http://nm:8042/node/containerlogs/c1/u", 1234, 5678, null, "nonce-0");
        Statement error = new Statement(1, "1/0", Kind.PYSPARK, StatementState.AVAILABLE, List.of(), List.of(),
                StatementOutput.error(1, "ZeroDivisionError", "division by zero", List.of("tb1\n", "tb2\n")), 1.0,
                List.of(), 3000, 3100, List.of());
        Statement waiting = new Statement(2, "spark.range(3).count()", Kind.SQL, StatementState.WAITING, List.of(),
                List.of(), null, 0, List.of(), 0, 0, List.of());
        try (StateStore store = SqliteStateStore.open(file)) {
            assertEquals(0, store.reserveSessionId());
            assertEquals(1, store.reserveSessionId());
            store.saveChannelPort(40123);
            store.saveSession(row);
            store.saveStatement(0, waiting);
            store.saveStatement(0, finished(0));
            store.saveStatement(0, error);
            store.saveStatement(0, waiting); // a second write of a statement replaces the first
        }
        try (StateStore store = SqliteStateStore.open(file)) {
            assertEquals(OptionalInt.of(40123), store.channelPort());
            assertEquals(2, store.reserveSessionId(), "ids continue after a reopen");
            List<StateStore.StoredSession> all = store.loadSessions();
            assertEquals(1, all.size());
            assertEquals(row, all.get(0).session());
            assertEquals(List.of(finished(0), error, waiting), all.get(0).statements());
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
        try (StateStore store = SqliteStateStore.open(file)) {
            store.saveSession(new StateStore.SessionRow(0, fullSpec(), SessionState.IDLE, null, null, null, 0, 0, null, "n"));
            store.saveStatement(0, big);
        }
        try (StateStore store = SqliteStateStore.open(file)) {
            Statement back = store.loadSessions().get(0).statements().get(0);
            assertEquals(String.join("", pieces), String.join("", back.streams().get(0).parts()));
            assertEquals(pieces.size(), back.streams().get(0).parts().size(), "kept as the pieces it arrived in");
        }
    }

    @Test
    void aStatementStoredWithItsOutputInItsRowByAnEarlierGatewayComesBackWhole() throws Exception {
        Path file = dir.resolve("state.db");
        try (StateStore store = SqliteStateStore.open(file)) {
            store.saveSession(new StateStore.SessionRow(0, fullSpec(), SessionState.IDLE, null, null, null, 0, 0, null, "n"));
            store.saveStatement(0, finished(0));
        }
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
             java.sql.Statement st = db.createStatement()) {
            st.execute("DELETE FROM statement_output");
            st.execute("UPDATE statements SET streams = '[{\"name\":\"stdout\",\"text\":\"hi\\n\"},"
                    + "{\"name\":\"stderr\",\"text\":\"warn\"}]'");
        }
        try (StateStore store = SqliteStateStore.open(file)) {
            assertEquals(List.of(finished(0)), store.loadSessions().get(0).statements());
        }
    }

    @Test
    void aDeletedSessionIsGoneWithItsStatementsAndItsIdIsNotHandedOutAgain() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"))) {
            int id = store.reserveSessionId();
            store.saveSession(new StateStore.SessionRow(id, SessionSpec.of(Kind.SQL), SessionState.DEAD, null, null, null, 0,
                    0, "it died", "n"));
            store.saveStatement(id, finished(0));
            store.deleteSession(id);
            assertEquals(List.of(), store.loadSessions());
            assertEquals(id + 1, store.reserveSessionId());
        }
    }

    @Test
    void writesAreInTheFileWhenTheCallReturnsWithoutClosingTheStore() {
        Path file = dir.resolve("state.db");
        StateStore writer = SqliteStateStore.open(file);
        try {
            writer.saveSession(new StateStore.SessionRow(7, SessionSpec.of(Kind.SPARK), SessionState.IDLE, null, null,
                    null, 0, 0, null, "n"));
            writer.saveStatement(7, finished(0));
            // A second connection sees the commit while the first is still open: nothing waits for a close.
            try (StateStore reader = SqliteStateStore.open(file)) {
                List<StateStore.StoredSession> all = reader.loadSessions();
                assertEquals(7, all.get(0).session().id());
                assertEquals(finished(0), all.get(0).statements().get(0));
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
        try (StateStore store = SqliteStateStore.open(file)) {
            store.saveSession(new StateStore.SessionRow(3, SessionSpec.of(Kind.PYSPARK), SessionState.IDLE, null, null,
                    null, 0, 0, null, nonce));
        }
        String bytes = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
                + (Files.exists(dir.resolve("state.db-wal"))
                ? new String(Files.readAllBytes(dir.resolve("state.db-wal")), java.nio.charset.StandardCharsets.ISO_8859_1)
                : "");
        assertTrue(bytes.contains(nonce));
        assertFalse(bytes.contains(secret.value()), "the secret itself must not be stored");
    }
}
