package io.hearth.kernel.jupyter;

import com.google.gson.JsonObject;
import java.util.function.Consumer;

/** One request being answered: its message, a way to reply on its channel and to publish on iopub. */
public final class Exchange {

    private final JupyterMessage request;
    private final Consumer<JupyterMessage> replies;
    private final Iopub iopub;
    private final MessageFactory factory;
    private final Runnable abortQueued;
    private boolean replied;
    private boolean shutdown;

    Exchange(JupyterMessage request, Consumer<JupyterMessage> replies, Iopub iopub, MessageFactory factory,
             Runnable abortQueued) {
        this.request = request;
        this.replies = replies;
        this.iopub = iopub;
        this.factory = factory;
        this.abortQueued = abortQueued;
    }

    /** The request. */
    public JupyterMessage request() {
        return request;
    }

    /** Sends the reply of {@code type} to the requester, on the request's channel. */
    public void reply(String type, JsonObject content) {
        replied = true;
        replies.accept(factory.create(type, request, request.identities(), content));
    }

    boolean replied() {
        return replied;
    }

    /** Publishes a message of {@code type} on iopub, as a child of the request. */
    public void publish(String type, JsonObject content) {
        iopub.publish(type, request, content);
    }

    /**
     * stop_on_error: the execute requests already waiting on this channel will be answered {@code aborted}. Call it
     * before replying, so that a cell the client sends once it has the reply is not among them.
     */
    public void abortQueuedExecutes() {
        abortQueued.run();
    }

    /** Asks the kernel to stop once this request's {@code idle} is out. */
    public void shutdownAfterwards() {
        shutdown = true;
    }

    boolean shutsDown() {
        return shutdown;
    }
}
