package io.hearth.gateway.session;

import java.util.List;
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
                      long engineStarted, String deathReason, String secretNonce) {}

    /** A session and its statements in id order, as a restarted gateway finds them. */
    record StoredSession(SessionRow session, List<Statement> statements) {
        public StoredSession {
            statements = List.copyOf(statements);
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

    /** Forgets the session and its statements. */
    void deleteSession(int sessionId);

    /** Every stored session with its statements, by id. */
    List<StoredSession> loadSessions();

    @Override
    void close();
}
