package io.hearth.kernel;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statement's event stream, read on a thread of its own so that the cell's thread can wait for the next event and
 * still notice an interrupt at once. A dropped connection is resumed with {@code Last-Event-ID}; the stream is done
 * after the {@code result} event, or when {@link #close()} stops it. A server without the events endpoint (a plain
 * Livy server answers 404 for it) is remembered for the session, and its statements are polled instead
 * ({@link StatementPoller}).
 */
public final class StatementEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatementEvents.class);
    // A gateway restart or a proxy timeout drops the stream; a few quick retries ride that out.
    private static final int MAX_RESUMES = 5;
    private static final long RESUME_PAUSE_MILLIS = 200;

    /** What the reader thread hands over: an event, or the failure that ended the stream. */
    public sealed interface Item permits Event, Failure {}

    /** An event of the stream. */
    public record Event(SseEvent event) implements Item {}

    /** The stream ended without a result: the gateway refused it or could not be reached. */
    public record Failure(GatewayException error) implements Item {}

    private final GatewayClient client;
    private final int sessionId;
    private final int statementId;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile Cancellable request;
    // Written and read by the reader thread only.
    private long lastId;
    private boolean resultRead;

    /** Starts reading the events of statement {@code statementId} of session {@code sessionId}. */
    public StatementEvents(GatewayClient client, int sessionId, int statementId) {
        this.client = client;
        this.sessionId = sessionId;
        this.statementId = statementId;
        this.reader = new Thread(this::read, "hearth-events-" + sessionId + "-" + statementId);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next item, or null when none came within {@code millis}. */
    public Item next(long millis) throws InterruptedException {
        return items.poll(millis, TimeUnit.MILLISECONDS);
    }

    private void read() {
        if (!client.hasEventsEndpoint(sessionId)) {
            poll();
            return;
        }
        int resumes = 0;
        while (!closed && !resultRead) {
            try {
                long before = lastId;
                client.events(sessionId, statementId, lastId, new SseListener() {
                    @Override
                    public void opened(Cancellable handle) {
                        request = handle;
                    }

                    @Override
                    public void event(SseEvent event) {
                        if (event.id() > 0) {
                            lastId = event.id();
                        }
                        resultRead |= "result".equals(event.type());
                        items.add(new Event(event));
                    }
                });
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
                if (e.status() != 0 || ++resumes > MAX_RESUMES) {
                    items.add(new Failure(e));
                    return;
                }
                LOG.debug("Event stream of statement {} dropped ({}); resuming after event {}", statementId,
                        e.getMessage(), lastId);
                sleepQuietly();
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
                    .awaitEnd(handle -> request = handle, () -> closed);
            events.forEach(event -> items.add(new Event(event)));
        } catch (GatewayException e) {
            if (!closed) {
                items.add(new Failure(e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() stops the reader this way; nothing is waiting for it
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(RESUME_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops reading (aborting the open request) and waits briefly for the reader thread to end. */
    @Override
    public void close() {
        closed = true;
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
