package io.hearth.gateway.session;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the gateway keeps what must outlive it: its sessions, their statements with outputs, the channel port engines
 * dial back to, and the next session id. Every write is committed when the method returns (it survives the gateway's
 * death), so an HTTP answer given after a write never promises more than a restarted gateway knows.
 */
public interface StateStore extends AutoCloseable {

    /**
     * A session as stored: the request it was created with, where it stood, and what is needed to find and trust its
     * engine again. Never the secret itself, only the nonce it is derived from.
     *
     * @param enginePid      0 when no engine was launched
     * @param engineStarted  the engine process's start time in epoch millis, so that a reused pid is not taken for it
     */
    record SessionRow(int id, SessionSpec spec, SessionState state, String appId, String sparkUiUrl,
                      String driverLogUrl, long enginePid,
                      long engineStarted, String deathReason, String secretNonce, SessionStart start) {}

    /**
     * A session and what it takes to list its statements in id order, as a restarted gateway finds them: their outputs
     * stay in the store ({@link #loadStatement}).
     */
    record StoredSession(SessionRow session, List<StatementSummary> statements) {
        public StoredSession {
            statements = List.copyOf(statements);
        }
    }

    /** A stored statement without its code, output or history: small enough to hold for thousands. */
    record StatementSummary(int id, Kind kind, StatementState state, double progress, long started, long completed) {}

    /**
     * A statement read back whole: the statement and its event history (ids as they were sent). The history of one
     * stored before histories were kept, or before it finished, is made from its output: its states, printed pieces,
     * shown values and result.
     *
     * @param chars how many characters of text it was read from, to estimate what it takes in memory
     */
    record StoredStatement(Statement statement, List<StatementEvent> history, long chars) {
        public StoredStatement {
            history = List.copyOf(history);
        }
    }

    /** The engine channel port the gateway bound last time, if any. */
    OptionalInt channelPort();

    void saveChannelPort(int port);

    /** Hands out a session id never handed out before by this store, even across restarts and deletes. */
    int reserveSessionId();

    void saveSession(SessionRow session);

    /** Inserts or replaces the statement: ids are per session. */
    void saveStatement(int sessionId, Statement statement);

    /**
     * Saves a statement that has finished with its whole event history, in one transaction: from then on the store
     * is where both are read from. Printed text is stored once, shared by the output and the history.
     */
    void saveFinishedStatement(int sessionId, Statement statement, List<StatementEvent> history);

    /** A statement with its output and history; empty if the store has no such statement. */
    Optional<StoredStatement> loadStatement(int sessionId, int statementId);

    /** Forgets the session and its statements. */
    void deleteSession(int sessionId);

    /** Every stored session with a summary of each of its statements, by id. */
    List<StoredSession> loadSessions();

    @Override
    void close();
}
