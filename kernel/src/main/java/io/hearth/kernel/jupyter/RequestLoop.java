package io.hearth.kernel.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Serves one ROUTER channel (shell or control) on its own thread: blocks on the socket (no polling sleeps), wraps
 * every request, known or not, in busy/idle, and drops a bad message with a warning instead of dying on it.
 */
final class RequestLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestLoop.class);

    private final String channel;
    private final ZMQ.Socket socket;
    private final WireCodec codec;
    private final Iopub iopub;
    private final MessageFactory factory;
    private final Map<String, RequestHandler> handlers;
    private final Runnable shutdown;
    // stop_on_error: the requests that were waiting when a cell failed, in order; execute requests among them are
    // answered "aborted", the others served. Arrival decides, not the client's clock (a browser's may be skewed).
    private final Deque<JupyterMessage> waitingAtFailure = new ArrayDeque<>();

    RequestLoop(String channel, ZMQ.Socket socket, WireCodec codec, Iopub iopub, MessageFactory factory,
                Map<String, RequestHandler> handlers, Runnable shutdown) {
        this.channel = channel;
        this.socket = socket;
        this.codec = codec;
        this.iopub = iopub;
        this.factory = factory;
        this.handlers = Map.copyOf(handlers);
        this.shutdown = shutdown;
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                JupyterMessage request;
                boolean abortable = !waitingAtFailure.isEmpty();
                request = abortable ? waitingAtFailure.poll() : decode(Frames.receive(socket, 0));
                if (request == null) {
                    continue;
                }
                if (abortable && "execute_request".equals(request.type())) {
                    abort(request);
                } else if (serve(request)) {
                    return;
                }
            }
        } catch (ZMQException e) {
            // The context was terminated: the kernel is stopping.
            LOG.debug("{} channel stopped: {}", channel, e.getMessage());
        } finally {
            socket.close();
        }
    }

    /** The message in {@code frames}, or null when it is bad (dropped with a warning). */
    private JupyterMessage decode(List<byte[]> frames) {
        try {
            return codec.decode(frames);
        } catch (BadMessageException e) {
            LOG.warn("Dropped a message on the {} channel: {}", channel, e.getMessage());
            return null;
        }
    }

    /** Answers {@code request}; true when the kernel must stop afterwards. */
    private boolean serve(JupyterMessage request) {
        Exchange exchange = new Exchange(request, this::send, iopub, factory, this::holdWaitingRequests);
        status(request, "busy");
        try {
            RequestHandler handler = handlers.get(request.type());
            if (handler == null) {
                LOG.warn("No handler for {} on the {} channel; ignored", request.type(), channel);
            } else {
                handler.handle(exchange);
            }
        } catch (RuntimeException bug) {
            LOG.error("Failed answering {} on the {} channel", request.type(), channel, bug);
            if (!exchange.replied() && request.type().endsWith("_request")) {
                exchange.reply(request.type().replace("_request", "_reply"), kernelError(bug));
            }
        } finally {
            status(request, "idle");
        }
        if (exchange.shutsDown()) {
            shutdown.run();
            return true;
        }
        return false;
    }

    /** Takes every request already waiting on the socket, without blocking, to be aborted or served next. */
    private void holdWaitingRequests() {
        List<byte[]> frames;
        while ((frames = Frames.receive(socket, ZMQ.DONTWAIT)) != null) {
            JupyterMessage waiting = decode(frames);
            if (waiting != null) {
                waitingAtFailure.add(waiting);
            }
        }
    }

    private void abort(JupyterMessage request) {
        status(request, "busy");
        JsonObject content = new JsonObject();
        content.addProperty("status", "aborted");
        send(factory.create("execute_reply", request, request.identities(), content));
        status(request, "idle");
    }

    /** A reply for a request whose handler failed: the client is told, instead of waiting for ever. */
    private static JsonObject kernelError(RuntimeException bug) {
        JsonObject content = new JsonObject();
        content.addProperty("status", "error");
        content.addProperty("ename", "KernelError");
        content.addProperty("evalue", String.valueOf(bug));
        JsonArray traceback = new JsonArray();
        traceback.add("KernelError: " + bug + " (a bug in the Hearth kernel; its log has the details)");
        content.add("traceback", traceback);
        return content;
    }

    private void send(JupyterMessage reply) {
        Frames.send(socket, codec.encode(reply));
    }

    private void status(JupyterMessage parent, String state) {
        JsonObject content = new JsonObject();
        content.addProperty("execution_state", state);
        iopub.publish("status", parent, content);
    }
}
