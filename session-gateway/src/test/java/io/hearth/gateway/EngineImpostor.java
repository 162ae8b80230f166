package io.hearth.gateway;

import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import io.hearth.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Another user's code posing as a session's engine, as issue 11's attacker did: it holds the session's secret (the
 * attacker read it from the engine's {@code /proc/<pid>/environ}; here it is derived from the state directory, as the
 * gateway derives it, so that the attack does not depend on how a launch hands the secret over) and dials the gateway's
 * engine channel with the protocol's own classes, which is all an attacker needs. Not a fake: the same handshake a real
 * engine runs, with what a thief can have.
 */
final class EngineImpostor {

    private final Path stateDir;
    private final int sessionId;

    /** Poses as the engine of {@code sessionId}, whose gateway keeps its state in {@code stateDir}. */
    EngineImpostor(Path stateDir, int sessionId) {
        this.stateDir = stateDir;
        this.sessionId = sessionId;
    }

    /**
     * Connects with the stolen secret alone, as a first connection does, and returns the gateway's refusal; fails the
     * test if the gateway welcomes it.
     */
    String refusedWithTheSecret(int channelPort) throws IOException {
        Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth());
        try (Channel taken = handshake.connect("127.0.0.1", channelPort, Integer.toString(sessionId), secret())
                .channel()) {
            throw new AssertionError("the gateway gave session " + sessionId + " to an impostor holding its secret"
                    + " (channel " + taken.remoteAddress() + ")");
        } catch (ProtocolException refused) {
            return refused.getMessage();
        }
    }

    /**
     * Connects with the secret and the link key (which stands for a link key stolen too: the test derives it from the
     * master key) and returns the gateway's refusal; fails the test if the gateway welcomes it.
     */
    String refusedWithTheLinkKeyToo(int channelPort) throws IOException {
        Handshake handshake = new Handshake(new MessageCodec(), new ChannelAuth());
        try (Channel taken = handshake.reconnect("127.0.0.1", channelPort, Integer.toString(sessionId), secret(),
                linkKey())) {
            throw new AssertionError("the gateway gave session " + sessionId + " a second engine channel");
        } catch (ProtocolException refused) {
            return refused.getMessage();
        }
    }

    /** The session's secret, as the gateway derives it: what the attacker stole. */
    String secret() throws IOException {
        return secrets().derive(sessionId, nonce()).value();
    }

    /** The session's link key, as the gateway derives it: what the test stands for a stolen one with. */
    LinkKey linkKey() throws IOException {
        return secrets().linkKey(sessionId, nonce());
    }

    private SessionSecrets secrets() throws IOException {
        return SessionSecrets.load(stateDir.resolve("master.key"), new SecureRandom());
    }

    /** The session's nonce, read from the state store (read-only: the gateway has it open). */
    private String nonce() throws IOException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:file:" + stateDir.resolve("state.db")
                + "?mode=ro");
             PreparedStatement q = db.prepareStatement("SELECT secret_nonce FROM sessions WHERE id = ?")) {
            q.setInt(1, sessionId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no session " + sessionId + " in the state store");
                }
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IOException("reading the state store: " + e.getMessage(), e);
        }
    }
}
