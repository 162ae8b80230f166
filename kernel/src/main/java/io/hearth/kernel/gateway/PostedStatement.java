package io.hearth.kernel.gateway;

import io.hearth.kernel.livy.RemoteStatement;
import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * A statement just posted by {@link GatewayClient#postStatement}: its id and, when the gateway answered with the
 * statement's event stream, that open stream, which whoever follows the statement reads and closes.
 */
public final class PostedStatement implements Cancellable, Closeable {

    private final int id;
    private final ClassicHttpResponse stream;
    private final Cancellable request;
    private volatile boolean readToEnd;

    /** Statement {@code id}; {@code stream} is the open answer (null when the gateway answered JSON). */
    PostedStatement(int id, ClassicHttpResponse stream, Cancellable request) {
        this.id = id;
        this.stream = stream;
        this.request = request;
    }

    /** The statement's id in its session. */
    public int id() {
        return id;
    }

    /** Whether the answer carries the statement's events; if not (a plain Livy), the events endpoint has them. */
    public boolean streaming() {
        return stream != null;
    }

    /** Reads the stream's events to its end, handing each to {@code sink}. */
    public void read(Consumer<SseEvent> sink) throws IOException {
        if (stream != null && stream.getEntity() != null) {
            SseParser.parse(stream.getEntity().getContent(), sink);
        }
        readToEnd = true;
    }

    /** Aborts the answer from any thread (its reader then gets an IOException). */
    @Override
    public boolean cancel() {
        return request.cancel();
    }

    /** Releases the connection: kept for the next request when the stream was read to its end, else dropped. */
    @Override
    public void close() throws IOException {
        if (stream != null) {
            if (!readToEnd) {
                // Closing an unfinished chunked answer would read it to its end, which may be the statement's.
                cancel();
            }
            stream.close();
        }
    }
}
