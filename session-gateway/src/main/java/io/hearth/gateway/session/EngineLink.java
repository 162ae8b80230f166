package io.hearth.gateway.session;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ProtocolException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's connection to its engine: the authenticated channel, the thread that reads it, sending, and matching
 * the engine's replies to the completion and inspection requests that wait for them. Every other message goes to the
 * {@link Listener}, in the order it arrived. Thread-safe; {@link #close()} ends the reader.
 */
final class EngineLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineLink.class);

    /** What the link hands on, on its reader thread. */
    interface Listener {
        /** A message from the engine other than a reply to {@link #ask}. */
        void received(ChannelMessage message);

        /**
         * The channel ended: the engine closed it, it broke, a message could not be handled, or {@link #close()} was
         * called (the listener knows whether it closed this link itself).
         */
        void lost(EngineLink link, String why);
    }

    private final Channel channel;
    private final Listener listener;
    private final Thread reader;
    /** Requests waiting for the engine's reply, by request id. */
    private final Map<Long, CompletableFuture<ChannelMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();

    /** Takes the channel; reading starts with {@link #start()}. */
    EngineLink(int sessionId, Channel channel, Listener listener) {
        this.channel = channel;
        this.listener = listener;
        this.reader = new Thread(this::read, "hearth-session-" + sessionId + "-reader");
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    String remoteAddress() {
        return channel.remoteAddress();
    }

    void send(ChannelMessage message) throws IOException {
        channel.send(message);
    }

    /**
     * Sends a request the engine answers by id, and waits for the answer: empty when it does not come within
     * {@code timeout} or is not of {@code replyType}.
     *
     * @throws IOException when the request cannot be sent
     */
    <T extends ChannelMessage> Optional<T> ask(LongFunction<ChannelMessage> request, Class<T> replyType,
                                               Duration timeout) throws IOException {
        long requestId = requestIds.incrementAndGet();
        CompletableFuture<ChannelMessage> reply = new CompletableFuture<>();
        pending.put(requestId, reply);
        try {
            channel.send(request.apply(requestId));
            return Optional.of(replyType.cast(reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException | ExecutionException | ClassCastException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            pending.remove(requestId);
        }
    }

    /** Closes the channel, which ends the reader (and so calls {@link Listener#lost}). Idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    private void read() {
        String lost;
        try {
            ChannelMessage m;
            while ((m = channel.receive()) != null) {
                if (!answered(m)) {
                    listener.received(m);
                }
            }
            lost = "the engine closed its channel";
        } catch (IOException | ProtocolException e) {
            lost = "the channel to the engine failed: " + e.getMessage();
        } catch (RuntimeException e) {
            // A message this gateway cannot handle is a bug on one side or the other: the session cannot be trusted on.
            LOG.error("{}: failed handling a message from the engine", reader.getName(), e);
            lost = "the gateway could not handle a message from the engine: " + e;
        }
        listener.lost(this, lost);
    }

    /** Completes the request a reply answers; false for a message that is not a reply. */
    private boolean answered(ChannelMessage m) {
        long requestId;
        if (m instanceof ChannelMessage.CompleteReply c) {
            requestId = c.requestId();
        } else if (m instanceof ChannelMessage.InspectReply i) {
            requestId = i.requestId();
        } else if (m instanceof ChannelMessage.ConfApplied a) {
            requestId = a.requestId();
        } else {
            return false;
        }
        CompletableFuture<ChannelMessage> waiting = pending.remove(requestId);
        if (waiting != null) {
            waiting.complete(m);
        }
        return true;
    }
}
