package io.hearth.gateway.session;

import io.hearth.gateway.launch.EngineProcess;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of one session: its process (started here, or adopted after a restart), the link to it once it has
 * dialled back, what the engine says (handed to the session as its events), and stopping both. Guarded by its
 * {@link Session}'s lock; the blocking parts (waiting for a reply or for the process to exit) happen outside it, and a
 * stop runs on the stopper, which closes the link under that lock once the process is gone.
 */
final class SessionEngine implements EngineLink.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(SessionEngine.class);

    /** Once a channel is lost, how long to wait for the process to exit so that its exit code can be reported. */
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);

    private final Session session;
    private final Executor stopper;
    private EngineProcess process;
    private EngineLink link;
    private CompletableFuture<Void> stopped;

    /**
     * @param session whose lock guards this object, and who hears what the engine says
     * @param stopper runs the blocking part of stopping the engine, off the caller's thread
     */
    SessionEngine(Session session, Executor stopper) {
        this.session = session;
        this.stopper = stopper;
    }

    /** The process launched or adopted for the session; null when none runs. */
    void process(EngineProcess started) {
        process = started;
    }

    long pid() {
        return process == null ? 0 : process.pid();
    }

    long startedAt() {
        return process == null ? 0 : process.startedAt();
    }

    boolean connected() {
        return link != null;
    }

    /** Whether {@code l} is this session's link: a lost link that has been replaced or closed is of no concern. */
    boolean isCurrent(EngineLink l) {
        return link == l;
    }

    @Override
    public void received(ChannelMessage m) {
        // (Pattern-matching switch is not final in Java 17; an instanceof chain says the same.)
        if (m instanceof ChannelMessage.EngineReady r) {
            session.engineReady(r);
        } else if (m instanceof ChannelMessage.EngineFailed f) {
            session.log().append("[hearth] engine reported a failed start: " + f.reason());
            session.fail("the engine failed to start: " + f.reason());
        } else if (m instanceof ChannelMessage.EngineUnusable u) {
            session.log().append("[hearth] the engine can run no more statements: " + u.reason());
            session.fail(u.reason());
        } else if (m instanceof ChannelMessage.ResyncDone d) {
            session.resynced(d.unknownStatementIds().size());
        } else if (!(m instanceof ChannelMessage.Ping)) {
            session.statementReported(m);
        }
    }

    @Override
    public void lost(EngineLink from, String why) {
        session.engineLost(from, why);
    }

    /**
     * Takes the engine's authenticated channel and starts reading it. A reconnected engine is first asked about the
     * statements whose end this gateway missed ({@code resync}, null for a new engine); false when that first message
     * cannot be sent (the caller closes the channel).
     */
    boolean connect(Channel channel, List<Long> resync) {
        EngineLink connected = new EngineLink(session.id(), channel, this);
        if (resync != null) {
            try {
                connected.send(new ChannelMessage.Resync(resync));
            } catch (IOException e) {
                LOG.warn("Session {}: the reconnected engine's channel broke at once: {}", session.id(), e.getMessage());
                return false;
            }
        }
        link = connected;
        link.start();
        return true;
    }

    void send(ChannelMessage message) throws IOException {
        if (link == null) {
            throw new IOException("the engine has not connected");
        }
        link.send(message);
    }

    /** Sends to the engine; a channel that cannot take it means the session is dead, and the answer is false. */
    boolean tell(ChannelMessage message) {
        try {
            send(message);
            return true;
        } catch (IOException e) {
            session.fail("could not send to the engine: " + e.getMessage());
            return false;
        }
    }

    /**
     * Sends what only saves the engine work or memory: a channel that cannot take it is left to its reader, which
     * reports the loss.
     */
    void tellIfConnected(ChannelMessage message) {
        try {
            send(message);
        } catch (IOException e) {
            LOG.debug("Session {}: not sent to the engine ({}): {}", session.id(), e.getMessage(), message);
        }
    }

    /**
     * Asks the engine and waits for its reply, outside the session's lock: the reply is read on the link's thread.
     * Empty when it does not come within {@code timeout}.
     */
    <T extends ChannelMessage> Optional<T> ask(LongFunction<ChannelMessage> request, Class<T> replyType,
                                               Duration timeout) throws IOException {
        EngineLink to;
        synchronized (session) {
            to = link;
        }
        if (to == null) {
            return Optional.empty();
        }
        return to.ask(request, replyType, timeout);
    }

    /** Why the process ended with {@code exitCode}, in the words of its cluster when it drove a cluster application. */
    String describeExit(int exitCode) {
        return process == null ? EngineProcess.describeExit(exitCode) : process.describeEnd(exitCode);
    }

    /** How the process ended, if it ends within a short wait: said instead of {@code why} a channel was lost. */
    String exitReason(String why) {
        EngineProcess p;
        synchronized (session) {
            p = process;
        }
        try {
            return p == null ? why : p.exitWithin(EXIT_CODE_WAIT).orElse(why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return why;
        }
    }

    boolean stopping() {
        return stopped != null;
    }

    /** Tells the engine to shut down and stops it after {@code grace}; at once when it cannot be told. */
    CompletableFuture<Void> shutdown(Duration grace) {
        if (link == null) {
            return stop(Duration.ZERO);
        }
        try {
            send(new ChannelMessage.Shutdown());
            return stop(grace);
        } catch (IOException e) {
            LOG.info("Session {}: could not send Shutdown ({}); terminating the engine", session.id(), e.getMessage());
            return stop(Duration.ZERO);
        }
    }

    /**
     * Waits up to {@code grace} for the process to exit by itself, then terminates or kills its tree, and closes the
     * link. Idempotent: a second call returns the first one's future, which completes when no engine process is left.
     */
    CompletableFuture<Void> stop(Duration grace) {
        if (stopped != null) {
            return stopped;
        }
        EngineProcess p = process;
        if (p == null) {
            closeLink();
            stopped = CompletableFuture.completedFuture(null);
            return stopped;
        }
        stopped = CompletableFuture.runAsync(() -> {
            try {
                p.stop(grace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (session) {
                    closeLink();
                }
            }
        }, stopper);
        return stopped;
    }

    void closeLink() {
        if (link != null) {
            link.close();
        }
    }
}
