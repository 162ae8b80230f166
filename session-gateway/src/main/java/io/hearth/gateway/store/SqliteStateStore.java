package io.hearth.gateway.store;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import io.hearth.gateway.batch.BatchSpec;
import io.hearth.gateway.batch.BatchState;
import io.hearth.gateway.batch.BatchStore;
import io.hearth.gateway.files.OwnerOnly;
import io.hearth.gateway.session.JsonText;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SessionSpec;
import io.hearth.gateway.session.SessionStart;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.session.SparkJob;
import io.hearth.gateway.session.Statement;
import io.hearth.gateway.session.StatementEvent;
import io.hearth.gateway.session.StatementState;
import io.hearth.gateway.session.StatementWarning;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The state store in one embedded SQLite file. WAL mode, so that reads never wait for a write. synchronous=NORMAL: a
 * commit is in the WAL file (in the operating system's hands) when it returns, which is what surviving a
 * {@code kill -9} of the gateway takes; only an operating-system crash or power loss can lose the last commits (never
 * corrupt the file), and those kill the engines on the machine too, so their sessions could not be resumed anyway.
 * FULL would add an fsync to every write: measured here, 2-6 ms instead of 0.05 ms, three times per statement, under
 * the store's lock. One connection, every method synchronized: writes are few and short, one at a time keeps them
 * simple. The values of secret settings in sessions' and batches' {@code conf} are stored encrypted ({@link ConfCipher}).
 */
public final class SqliteStateStore implements StateStore, BatchStore {

    private static final java.lang.reflect.Type STREAMS = new TypeToken<List<StoredStream>>() {}.getType();
    private static final java.lang.reflect.Type DISPLAYS = new TypeToken<List<JsonObject>>() {}.getType();
    private static final java.lang.reflect.Type JOBS = new TypeToken<List<SparkJob>>() {}.getType();
    private static final java.lang.reflect.Type WARNINGS = new TypeToken<List<StatementWarning>>() {}.getType();

    private final Connection db;
    private final ConfCipher cipher;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().create();

    /** A stream as the {@code streams} column of an older store holds it: {@code [{"name": "stdout", "text": "..."}]}. */
    private record StoredStream(String name, String text) {}

    private SqliteStateStore(Connection db, ConfCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /** Opens the store, creating the file and its tables the first time; {@code cipher} seals secret settings. */
    public static SqliteStateStore open(Path file, ConfCipher cipher) {
        try {
            // Created owner-only before SQLite creates it with its own default (0644 less the umask); SQLite gives its
            // -wal and -shm files the mode of the database file.
            OwnerOnly.file(file);
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (java.sql.Statement st = db.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA busy_timeout=5000");
                st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, spec TEXT NOT NULL,"
                        + " state TEXT NOT NULL, app_id TEXT, spark_ui_url TEXT, engine_pid INTEGER NOT NULL,"
                        + " engine_started INTEGER NOT NULL, death_reason TEXT, secret_nonce TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS statements (session_id INTEGER NOT NULL, id INTEGER NOT NULL,"
                        + " code TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, streams TEXT NOT NULL,"
                        + " displays TEXT NOT NULL, output TEXT, progress REAL NOT NULL, started INTEGER NOT NULL,"
                        + " completed INTEGER NOT NULL, PRIMARY KEY (session_id, id))");
                // A statement's printed output, one row per piece as it arrived (32 KiB at most from the engine): a
                // statement may print 64 MiB, which as one value would be copied whole several times on its way in.
                st.execute("CREATE TABLE IF NOT EXISTS statement_output (session_id INTEGER NOT NULL,"
                        + " statement_id INTEGER NOT NULL, seq INTEGER NOT NULL, stream TEXT NOT NULL,"
                        + " text TEXT NOT NULL, PRIMARY KEY (session_id, statement_id, seq))");
                // A finished statement's events, for clients that resume or connect after it ended. An output or
                // display event names its piece of statement_output or its place in displays (piece), so that printed
                // text is stored once; other events hold their JSON (data).
                st.execute("CREATE TABLE IF NOT EXISTS statement_events (session_id INTEGER NOT NULL,"
                        + " statement_id INTEGER NOT NULL, id INTEGER NOT NULL, type TEXT NOT NULL, data TEXT,"
                        + " piece INTEGER, PRIMARY KEY (session_id, statement_id, id))");
                addColumnIfMissing(st, "sessions", "driver_log_url", "TEXT");
                addColumnIfMissing(st, "sessions", "start_mode", "TEXT");
                addColumnIfMissing(st, "sessions", "start_millis", "INTEGER");
                addColumnIfMissing(st, "statements", "jobs", "TEXT");
                addColumnIfMissing(st, "statements", "warnings", "TEXT");
                st.execute("CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY, spec TEXT NOT NULL,"
                        + " state TEXT NOT NULL, app_id TEXT, spark_ui_url TEXT, driver_pid INTEGER NOT NULL,"
                        + " driver_started INTEGER NOT NULL, log_file TEXT NOT NULL, end_reason TEXT)");
            }
            return new SqliteStateStore(db, cipher);
        } catch (SQLException | java.io.IOException e) {
            throw new StateStoreException("cannot open the state store " + file + ": " + e.getMessage(), e);
        }
    }

    /** A column later gateways added: a store written before gets it (null in its old rows). */
    private static void addColumnIfMissing(java.sql.Statement st, String table, String column, String type)
            throws SQLException {
        try (ResultSet columns = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (column.equals(columns.getString("name"))) {
                    return;
                }
            }
        }
        st.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
    }

    @Override
    public synchronized OptionalInt channelPort() {
        String v = meta("channel_port");
        return v == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v));
    }

    @Override
    public synchronized void saveChannelPort(int port) {
        saveMeta("channel_port", Integer.toString(port));
    }

    @Override
    public synchronized int reserveSessionId() {
        String v = meta("next_session_id");
        int id = v == null ? 0 : Integer.parseInt(v);
        saveMeta("next_session_id", Integer.toString(id + 1));
        return id;
    }

    @Override
    public synchronized int reserveBatchId() {
        String v = meta("next_batch_id");
        int id = v == null ? 0 : Integer.parseInt(v);
        saveMeta("next_batch_id", Integer.toString(id + 1));
        return id;
    }

    @Override
    public synchronized void saveBatch(BatchRow b) {
        BatchSpec spec = b.spec();
        update("INSERT OR REPLACE INTO batches (id, spec, state, app_id, spark_ui_url, driver_pid, driver_started,"
                        + " log_file, end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                b.id(), gson.toJson(spec.withConf(cipher.seal(spec.conf()))), b.state().name(), b.appId(),
                b.sparkUiUrl(), b.driverPid(), b.driverStarted(), b.logFile(), b.endReason());
    }

    @Override
    public synchronized void deleteBatch(int batchId) {
        update("DELETE FROM batches WHERE id = ?", batchId);
    }

    @Override
    public synchronized List<BatchRow> loadBatches() {
        List<BatchRow> all = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, spec, state, app_id, spark_ui_url, driver_pid,"
                + " driver_started, log_file, end_reason FROM batches ORDER BY id");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                BatchSpec spec = gson.fromJson(r.getString(2), BatchSpec.class);
                all.add(new BatchRow(r.getInt(1), spec.withConf(cipher.open(spec.conf())),
                        BatchState.valueOf(r.getString(3)), r.getString(4), r.getString(5), r.getLong(6), r.getLong(7),
                        r.getString(8), r.getString(9)));
            }
        } catch (SQLException e) {
            throw new StateStoreException("cannot read the stored batches: " + e.getMessage(), e);
        }
        return all;
    }

    @Override
    public synchronized void saveSession(SessionRow s) {
        update("INSERT OR REPLACE INTO sessions (id, spec, state, app_id, spark_ui_url, engine_pid, engine_started,"
                        + " death_reason, secret_nonce, driver_log_url, start_mode, start_millis)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.id(), gson.toJson(s.spec().withConf(cipher.seal(s.spec().conf()))), s.state().name(), s.appId(), s.sparkUiUrl(), s.enginePid(),
                s.engineStarted(), s.deathReason(), s.secretNonce(), s.driverLogUrl(),
                s.start() == null ? null : s.start().mode().wireName(), s.start() == null ? null : s.start().millis());
    }

    /** The statement's row, and its printed output as one row per piece, in one transaction. */
    @Override
    public synchronized void saveStatement(int sessionId, Statement s) {
        inTransaction("cannot save statement " + s.id() + " of session " + sessionId, () -> saveRow(sessionId, s));
    }

    @Override
    public synchronized void saveFinishedStatement(int sessionId, Statement s, List<StatementEvent> history) {
        inTransaction("cannot save statement " + s.id() + " of session " + sessionId, () -> {
            Map<String, Integer> pieceSeq = saveRow(sessionId, s);
            Map<JsonObject, Integer> displayIndex = new IdentityHashMap<>();
            for (int i = 0; i < s.displays().size(); i++) {
                displayIndex.put(s.displays().get(i), i);
            }
            update("DELETE FROM statement_events WHERE session_id = ? AND statement_id = ?", sessionId, s.id());
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO statement_events (session_id,"
                    + " statement_id, id, type, data, piece) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (StatementEvent e : history) {
                    // The very text or value the statement holds is referred to; one it no longer holds (replaced
                    // by an engine's replay after a restart) is stored whole.
                    Integer piece = e.data() instanceof StatementEvent.OutputData o ? pieceSeq.get(o.text())
                            : e.data() instanceof StatementEvent.DisplayData d ? displayIndex.get(d.data()) : null;
                    insert.setInt(1, sessionId);
                    insert.setInt(2, s.id());
                    insert.setLong(3, e.id());
                    insert.setString(4, e.type());
                    insert.setString(5, piece != null || e.data() == null ? null : gson.toJson(e.data()));
                    insert.setObject(6, piece);
                    insert.executeUpdate();
                }
            }
        });
    }

    /** Writes the statement's row and pieces; answers where each piece went (by identity), for its history. */
    private Map<String, Integer> saveRow(int sessionId, Statement s) throws SQLException {
        // streams stays '[]': the output is in statement_output (the column holds it for stores written before).
        update("INSERT OR REPLACE INTO statements (session_id, id, code, kind, state, streams, displays, output,"
                        + " progress, started, completed, jobs, warnings) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?,"
                        + " ?, ?)",
                sessionId, s.id(), s.code(), s.kind().name(), s.state().name(),
                gson.toJson(s.displays(), DISPLAYS), s.output() == null ? null : gson.toJson(s.output()),
                s.progress(), s.started(), s.completed(), gson.toJson(s.jobs(), JOBS),
                gson.toJson(s.warnings(), WARNINGS));
        update("DELETE FROM statement_output WHERE session_id = ? AND statement_id = ?", sessionId, s.id());
        return savePieces(sessionId, s);
    }

    private Map<String, Integer> savePieces(int sessionId, Statement s) throws SQLException {
        Map<String, Integer> seqs = new IdentityHashMap<>();
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO statement_output (session_id, statement_id,"
                + " seq, stream, text) VALUES (?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (Statement.StreamText stream : s.streams()) {
                for (String piece : stream.parts()) {
                    insert.setInt(1, sessionId);
                    insert.setInt(2, s.id());
                    insert.setInt(3, seq);
                    insert.setString(4, stream.name());
                    insert.setString(5, piece);
                    insert.executeUpdate();
                    seqs.put(piece, seq++);
                }
            }
        }
        return seqs;
    }

    @Override
    public synchronized void deleteSession(int sessionId) {
        inTransaction("cannot delete session " + sessionId, () -> {
            update("DELETE FROM statement_events WHERE session_id = ?", sessionId);
            update("DELETE FROM statement_output WHERE session_id = ?", sessionId);
            update("DELETE FROM statements WHERE session_id = ?", sessionId);
            update("DELETE FROM sessions WHERE id = ?", sessionId);
        });
    }

    /** Work the store does in one transaction. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(String what, Work work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (RuntimeException | SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StateStoreException(what + ": " + e.getMessage(), e);
        }
    }

    /** How a stored session started; null for one a gateway before start modes saved. */
    private static SessionStart start(String mode, long millis, boolean noMillis) {
        return mode == null ? null : new SessionStart(SessionStart.Mode.of(mode), noMillis ? null : millis);
    }

    @Override
    public synchronized List<StoredSession> loadSessions() {
        List<StoredSession> all = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, spec, state, app_id, spark_ui_url, engine_pid,"
                + " engine_started, death_reason, secret_nonce, driver_log_url, start_mode, start_millis FROM sessions"
                + " ORDER BY id");
             ResultSet r = q.executeQuery()) {
            while (r.next()) {
                SessionSpec spec = gson.fromJson(r.getString(2), SessionSpec.class);
                SessionRow row = new SessionRow(r.getInt(1), spec.withConf(cipher.open(spec.conf())),
                        SessionState.valueOf(r.getString(3)), r.getString(4), r.getString(5), r.getString(10),
                        r.getLong(6), r.getLong(7), r.getString(8), r.getString(9), start(r.getString(11), r.getLong(12),
                        r.wasNull()));
                all.add(new StoredSession(row, statements(row.id())));
            }
        } catch (SQLException e) {
            throw new StateStoreException("cannot read the stored sessions: " + e.getMessage(), e);
        }
        return all;
    }

    private List<StatementSummary> statements(int sessionId) throws SQLException {
        List<StatementSummary> list = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, kind, state, progress, started, completed"
                + " FROM statements WHERE session_id = ? ORDER BY id")) {
            q.setInt(1, sessionId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    list.add(new StatementSummary(r.getInt(1), Kind.valueOf(r.getString(2)),
                            StatementState.valueOf(r.getString(3)), r.getDouble(4), r.getLong(5), r.getLong(6)));
                }
            }
        }
        return list;
    }

    @Override
    public synchronized Optional<StoredStatement> loadStatement(int sessionId, int statementId) {
        try (PreparedStatement q = db.prepareStatement("SELECT id, code, kind, state, streams, displays, output,"
                + " progress, started, completed, jobs, warnings FROM statements WHERE session_id = ? AND id = ?")) {
            q.setInt(1, sessionId);
            q.setInt(2, statementId);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Chars chars = new Chars();
                List<Piece> pieces = pieces(sessionId, statementId, chars);
                if (pieces.isEmpty()) {
                    // Written by a gateway that kept the output in the row.
                    List<StoredStream> stored = gson.fromJson(chars.add(r.getString(5)), STREAMS);
                    pieces = stored.stream().map(t -> new Piece(t.name(), t.text())).toList();
                }
                List<Statement.StreamText> streams = streams(pieces);
                List<JsonObject> displays = gson.fromJson(chars.add(r.getString(6)), DISPLAYS);
                String output = chars.add(r.getString(7));
                String jobs = chars.add(r.getString(11));
                String warnings = chars.add(r.getString(12));
                Statement st = new Statement(r.getInt(1), chars.add(r.getString(2)), Kind.valueOf(r.getString(3)),
                        StatementState.valueOf(r.getString(4)), streams, displays,
                        output == null ? null : gson.fromJson(output, StatementOutput.class), r.getDouble(8),
                        jobs == null ? List.of() : gson.fromJson(jobs, JOBS), r.getLong(9), r.getLong(10),
                        warnings == null ? List.of() : gson.fromJson(warnings, WARNINGS));
                List<StatementEvent> history = history(sessionId, st, pieces, chars);
                return Optional.of(new StoredStatement(st, history, chars.count));
            }
        } catch (SQLException e) {
            throw new StateStoreException("cannot read statement " + statementId + " of session " + sessionId + ": "
                    + e.getMessage(), e);
        }
    }

    /** One printed piece as stored. */
    private record Piece(String stream, String text) {}

    /** How many characters a statement was read from. */
    private static final class Chars {
        private long count;

        String add(String text) {
            if (text != null) {
                count += text.length();
            }
            return text;
        }
    }

    /** A statement's printed output as its pieces, in order. */
    private List<Piece> pieces(int sessionId, int statementId, Chars chars) throws SQLException {
        List<Piece> pieces = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT stream, text FROM statement_output WHERE session_id = ?"
                + " AND statement_id = ? ORDER BY seq")) {
            q.setInt(1, sessionId);
            q.setInt(2, statementId);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    pieces.add(new Piece(r.getString(1), chars.add(r.getString(2))));
                }
            }
        }
        return pieces;
    }

    /** Pieces as streams, consecutive pieces of one stream together. */
    private static List<Statement.StreamText> streams(List<Piece> pieces) {
        List<Statement.StreamText> streams = new ArrayList<>();
        String name = null;
        List<String> parts = new ArrayList<>();
        for (Piece p : pieces) {
            if (name != null && !name.equals(p.stream())) {
                streams.add(new Statement.StreamText(name, parts));
                parts = new ArrayList<>();
            }
            name = p.stream();
            parts.add(p.text());
        }
        if (name != null) {
            streams.add(new Statement.StreamText(name, parts));
        }
        return streams;
    }

    /** The stored history, sharing the statement's text and values; made from its output if none was stored. */
    private List<StatementEvent> history(int sessionId, Statement st, List<Piece> pieces, Chars chars)
            throws SQLException {
        List<StatementEvent> events = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("SELECT id, type, data, piece FROM statement_events"
                + " WHERE session_id = ? AND statement_id = ? ORDER BY id")) {
            q.setInt(1, sessionId);
            q.setInt(2, st.id());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String type = r.getString(2);
                    String data = chars.add(r.getString(3));
                    int piece = r.getInt(4);
                    boolean byRef = !r.wasNull();
                    events.add(new StatementEvent(r.getLong(1), type, eventData(type, data, byRef, piece, st, pieces)));
                }
            }
        }
        return events.isEmpty() ? madeHistory(st, pieces) : events;
    }

    private StatementEvent.Data eventData(String type, String data, boolean byRef, int piece, Statement st,
                                          List<Piece> pieces) {
        return switch (type) {
            case "output" -> byRef ? new StatementEvent.OutputData(pieces.get(piece).stream(), pieces.get(piece).text())
                    : gson.fromJson(data, StatementEvent.OutputData.class);
            case "display" -> byRef ? new StatementEvent.DisplayData(st.displays().get(piece))
                    : gson.fromJson(data, StatementEvent.DisplayData.class);
            case "progress" -> gson.fromJson(data, StatementEvent.ProgressData.class);
            case "warning" -> gson.fromJson(data, StatementWarning.class);
            case "state" -> gson.fromJson(data, StatementEvent.StateData.class);
            default -> null;
        };
    }

    /** For a statement stored without its history: its first state, what it printed and showed, its end. */
    private static List<StatementEvent> madeHistory(Statement st, List<Piece> pieces) {
        List<StatementEvent> events = new ArrayList<>();
        events.add(new StatementEvent(1, "state", new StatementEvent.StateData(StatementState.WAITING.wireName())));
        for (Piece p : pieces) {
            events.add(new StatementEvent(events.size() + 1, "output", new StatementEvent.OutputData(p.stream(),
                    p.text())));
        }
        for (JsonObject d : st.displays()) {
            events.add(new StatementEvent(events.size() + 1, "display", new StatementEvent.DisplayData(d)));
        }
        if (st.state().isFinished()) {
            events.add(new StatementEvent(events.size() + 1, "state", new StatementEvent.StateData(
                    st.state().wireName())));
            events.add(new StatementEvent(events.size() + 1, "result", null));
        }
        return events;
    }

    private String meta(String key) {
        try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StateStoreException("cannot read " + key + " from the state store: " + e.getMessage(), e);
        }
    }

    private void saveMeta(String key, String value) {
        update("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement u = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                u.setObject(i + 1, args[i]);
            }
            u.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("the state store refused a write: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new StateStoreException("cannot close the state store: " + e.getMessage(), e);
        }
    }
}
