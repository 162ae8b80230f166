package io.hearth.engine;

import io.hearth.engine.run.StatementSink;
import io.hearth.protocol.ChannelMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A statement sink for tests: keeps every message with the time it arrived, and waits for a statement's end. */
public final class CollectingSink implements StatementSink {

    /** A message and when it arrived (System.nanoTime). */
    public record Received(ChannelMessage message, long nanos) {
    }

    private final List<Received> received = new ArrayList<>();

    @Override
    public synchronized void send(ChannelMessage message) {
        received.add(new Received(message, System.nanoTime()));
        notifyAll();
    }

    /** All messages about one statement, in arrival order, once it has finished. */
    public synchronized List<Received> awaitFinished(long statementId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Received> mine = about(statementId);
            if (!mine.isEmpty() && mine.get(mine.size() - 1).message() instanceof ChannelMessage.StatementFinished) {
                return mine;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("statement " + statementId + " did not finish within " + timeout
                        + "; got " + mine);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until the statement has sent a message of the given type, and returns the first one. */
    public synchronized <T extends ChannelMessage> T await(long statementId, Class<T> type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Received r : about(statementId)) {
                if (type.isInstance(r.message())) {
                    return type.cast(r.message());
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("statement " + statementId + " sent no " + type.getSimpleName()
                        + " within " + timeout + "; got " + about(statementId));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private List<Received> about(long statementId) {
        List<Received> mine = new ArrayList<>();
        for (Received r : received) {
            if (statementIdOf(r.message()) == statementId) {
                mine.add(r);
            }
        }
        return mine;
    }

    public static long statementIdOf(ChannelMessage m) {
        if (m instanceof ChannelMessage.StatementStarted s) {
            return s.statementId();
        } else if (m instanceof ChannelMessage.Output o) {
            return o.statementId();
        } else if (m instanceof ChannelMessage.StatementFinished f) {
            return f.statementId();
        } else if (m instanceof ChannelMessage.Display d) {
            return d.statementId();
        } else if (m instanceof ChannelMessage.Progress p) {
            return p.statementId();
        }
        return Long.MIN_VALUE;
    }
}
