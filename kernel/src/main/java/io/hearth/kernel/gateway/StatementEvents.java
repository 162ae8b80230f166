package io.hearth.kernel.gateway;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement's event stream, read on a thread of its own so that the cell's thread can wait for the next event and
 * still notice an interrupt at once. The stream is the answer of the statement's POST when the gateway gave it, else
 * the events endpoint; a dropped connection is resumed there with {@code Last-Event-ID}. The stream is done after the
 * {@code result} event, or when {@link #close()} stops it. A server without the events endpoint (a plain Livy server
 * answers the POST with JSON and 404 for the endpoint) is remembered for the session, and its statements are polled
 * instead ({@link StatementPoller}). Its {@code state} events are not handed over: a cell shows nothing of them.
 */
public final class StatementEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatementEvents.class);
    // A stream the gateway keeps ending without news is given up after this many tries.
    private static final int MAX_RESUMES = 5;
    private static final long RESUME_PAUSE_MILLIS = 200;
    // Out of reach, the gateway is tried again less and less often, at most this far apart.
    private static final long MAX_RESUME_PAUSE_MILLIS = 2000;
    private static final String STATE = "state";

    /** What the reader thread hands over: an event, or the failure that ended the stream; or a {@link Wake}. */
    public sealed interface Item permits Event, Failure, Wake {}

    /** An event of the stream. */
    public record Event(SseEvent event) implements Item {}

    /** The stream ended without a result: the gateway refused it or could not be reached. */
    public record Failure(GatewayException error) implements Item {}

    /** No news: {@link #wake()} ended the wait (the cell has something else to do, such as sending a cancel). */
    public record Wake() implements Item {}

    private final GatewayClient client;
    private final int sessionId;
    private final int statementId;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    // The POST's answer, read first when it is a stream; null when following a statement posted earlier.
    private final PostedStatement posted;
    private final GatewayOutage outage;
    private volatile boolean closed;
    private volatile Cancellable request;
    // Written by the reader thread only; read by close() too.
    private volatile boolean resultRead;
    // Written and read by the reader thread only.
    private long lastId;

    /** Starts reading the events of statement {@code statementId} of session {@code sessionId}. */
    public StatementEvents(GatewayClient client, int sessionId, int statementId) {
        this(client, sessionId, statementId, null, GatewayOutage.withDefaultGrace());
    }

    /**
     * Starts reading the events of the statement just {@code posted} to session {@code sessionId}; a gateway out of
     * reach is tried again for as long as {@code outage} allows.
     */
    public StatementEvents(GatewayClient client, int sessionId, PostedStatement posted, GatewayOutage outage) {
        this(client, sessionId, posted.id(), posted, outage);
    }

    private StatementEvents(GatewayClient client, int sessionId, int statementId, PostedStatement posted,
                            GatewayOutage outage) {
        this.client = client;
        this.sessionId = sessionId;
        this.statementId = statementId;
        this.posted = posted;
        this.outage = outage;
        // Set before the reader starts, so that a close() coming at once aborts the POST's stream too.
        this.request = posted;
        this.reader = new Thread(this::read, "hearth-events-" + sessionId + "-" + statementId);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next item, or null when none came within {@code millis}. */
    public Item next(long millis) throws InterruptedException {
        return items.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Ends a wait in {@link #next} at once, from any thread, with a {@link Wake}. */
    public void wake() {
        items.add(new Wake());
    }

    private void read() {
        if (posted != null) {
            readPosted();
        }
        if (!resultRead && !client.hasEventsEndpoint(sessionId)) {
            poll();
            return;
        }
        int resumes = 0;
        long pause = RESUME_PAUSE_MILLIS;
        while (!closed && !resultRead) {
            try {
                long before = lastId;
                client.events(sessionId, statementId, lastId, new SseListener() {
                    @Override
                    public void opened(Cancellable handle) {
                        adopt(handle);
                    }

                    @Override
                    public void event(SseEvent event) {
                        take(event);
                    }
                });
                pause = RESUME_PAUSE_MILLIS;
                if (!resultRead && lastId == before && ++resumes > MAX_RESUMES) {
                    items.add(new Failure(new GatewayException(0, "The gateway at " + client.baseUrl()
                            + " keeps ending the event stream of statement " + statementId + " without its result.")));
                    return;
                }
            } catch (GatewayException e) {
                if (closed) {
                    return;
                }
                if (e.isNotFound() && lastId == 0 && statementExists()) {
                    // The statement is there, so the 404 was for the route: a server without events (plain Livy).
                    LOG.info("{} has no statement events endpoint; polling the statements of session {}",
                            client.baseUrl(), sessionId);
                    client.noEventsEndpoint(sessionId);
                    poll();
                    return;
                }
                if (!outage.rideOut(e)) {
                    items.add(new Failure(e));
                    return;
                }
                LOG.debug("Event stream of statement {} dropped ({}); resuming after event {}", statementId,
                        e.getMessage(), lastId);
                sleepQuietly(pause);
                pause = Math.min(2 * pause, MAX_RESUME_PAUSE_MILLIS);
            }
        }
    }

    private boolean statementExists() {
        try {
            client.statement(sessionId, statementId);
            return true;
        } catch (GatewayException e) {
            return false;
        }
    }

    /** Follows the statement by polling, handing over the same events a stream would have given. */
    private void poll() {
        try {
            List<SseEvent> events = new StatementPoller(client, sessionId, statementId)
                    .awaitEnd(this::adopt, () -> closed);
            events.forEach(this::handOver);
        } catch (GatewayException e) {
            if (!closed) {
                items.add(new Failure(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() stops the reader this way; nothing is waiting for it
        }
    }

    /** Reads the POST's own answer, if it is the stream; what it leaves unread is resumed on the events endpoint. */
    private void readPosted() {
        try (posted) {
            posted.read(this::take);
        } catch (IOException e) {
            LOG.debug("Event stream of statement {} in its POST's answer dropped ({}); resuming after event {}",
                    statementId, e.getMessage(), lastId);
        }
    }

    private void take(SseEvent event) {
        outage.reachable();
        if (event.id() > 0) {
            lastId = event.id();
        }
        resultRead |= "result".equals(event.type());
        handOver(event);
    }

    private void handOver(SseEvent event) {
        // A state change shows nothing in the cell (the result says how the statement ended): handing it over would
        // only wake the cell's thread, two or three times for every statement.
        if (!STATE.equals(event.type())) {
            items.add(new Event(event));
        }
    }

    /** Makes {@code handle} the open request; aborted at once when close() came before it was set. */
    private void adopt(Cancellable handle) {
        request = handle;
        if (closed) {
            handle.cancel();
        }
    }

    private void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Stops reading (aborting the open request) and waits briefly for the reader thread to end; after the result,
     * the reader is only reading the stream's end (so the connection can serve the next request) and ends by itself.
     */
    @Override
    public void close() {
        closed = true;
        if (resultRead) {
            return;
        }
        Cancellable open = request;
        if (open != null) {
            open.cancel();
        }
        reader.interrupt();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
