package io.hearth.kernel.jupyter;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The iopub channel. ZeroMQ sockets are single-threaded, so every thread publishes through one lock-guarded inproc
 * PUSH socket, and the "hearth-jupyter-iopub" thread alone owns the XPUB socket: it forwards what it pulls and
 * greets each new subscriber with {@code iopub_welcome} (protocol 5.5).
 */
public final class Iopub {

    private static final Logger LOG = LoggerFactory.getLogger(Iopub.class);
    private static final byte[] STOP = new byte[0];

    private final WireCodec codec;
    private final MessageFactory factory;
    private final ZMQ.Socket push; // guarded by this
    private final ZMQ.Socket pull;
    private final ZMQ.Socket xpub;
    private final ZMQ.Poller poller;
    private final Thread thread;
    private boolean closed; // guarded by this

    Iopub(ZMQ.Context context, String address, WireCodec codec, MessageFactory factory) {
        this.codec = codec;
        this.factory = factory;
        String inproc = "inproc://hearth-iopub-" + System.identityHashCode(this);
        pull = context.socket(SocketType.PULL);
        pull.bind(inproc);
        push = context.socket(SocketType.PUSH);
        push.setLinger(1000);
        push.connect(inproc);
        xpub = context.socket(SocketType.XPUB);
        xpub.setLinger(1000);
        xpub.setXpubVerbose(true); // every subscriber's subscription, not only the first, gets a welcome
        xpub.bind(address);
        poller = context.poller(2);
        poller.register(pull, ZMQ.Poller.POLLIN);
        poller.register(xpub, ZMQ.Poller.POLLIN);
        thread = new Thread(this::forward, "hearth-jupyter-iopub");
    }

    void start() {
        thread.start();
    }

    /** Publishes a message of {@code type} whose parent is {@code parent} (null: none). */
    public void publish(String type, JupyterMessage parent, JsonObject content) {
        JupyterMessage message = factory.create(type, parent, List.of(topic(type)), content);
        List<byte[]> frames = codec.encode(message);
        synchronized (this) {
            if (!closed) {
                Frames.send(push, frames);
            }
        }
    }

    /** Sends everything published so far, then stops the thread and closes the sockets. */
    void close() throws InterruptedException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            push.send(STOP, 0);
            push.close();
        }
        thread.join(5000);
    }

    private void forward() {
        try {
            while (poller.poll(-1) >= 0) {
                if (poller.pollin(1)) {
                    welcome(xpub.recv(0));
                }
                if (poller.pollin(0)) {
                    List<byte[]> frames = Frames.receive(pull, 0);
                    if (frames.size() == 1 && frames.get(0).length == 0) {
                        return; // STOP: everything before it went out
                    }
                    Frames.send(xpub, frames);
                }
            }
        } catch (ZMQException e) {
            LOG.debug("iopub stopped: {}", e.getMessage());
        } finally {
            poller.close();
            pull.close();
            xpub.close();
        }
    }

    private void welcome(byte[] event) {
        // XPUB events: byte 1 then the topic for a subscription, byte 0 for an unsubscription.
        if (event == null || event.length == 0 || event[0] != 1) {
            return;
        }
        JsonObject content = new JsonObject();
        content.addProperty("subscription", new String(event, 1, event.length - 1, StandardCharsets.UTF_8));
        JupyterMessage message = factory.create("iopub_welcome", null,
                List.of("kernel.iopub_welcome".getBytes(StandardCharsets.UTF_8)), content);
        Frames.send(xpub, codec.encode(message));
    }

    private byte[] topic(String type) {
        return ("kernel." + factory.session() + "." + type).getBytes(StandardCharsets.UTF_8);
    }
}
