package io.hearth.kernel.gateway;

import org.apache.hc.core5.concurrent.Cancellable;

/** Receives a statement's event stream from {@link GatewayClient#events}. */
public interface SseListener {

    /** Called before the request is sent with a handle that aborts it (from another thread). */
    void opened(Cancellable request);

    /** One complete event, in stream order. */
    void event(SseEvent event);
}
