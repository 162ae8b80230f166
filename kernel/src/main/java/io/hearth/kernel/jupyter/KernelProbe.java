package io.hearth.kernel.jupyter;

import com.google.gson.JsonObject;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A one-shot Jupyter client for a kernel's training run (the install's class archive): asks for kernel_info and
 * is_complete as a notebook's first requests do, then shuts the kernel down.
 */
public final class KernelProbe {

    private KernelProbe() {
    }

    /**
     * Runs the requests against the kernel on {@code connection}; true when every reply came within
     * {@code timeoutMillis} each.
     */
    public static boolean exercise(ConnectionInfo connection, int timeoutMillis) throws GeneralSecurityException {
        WireCodec codec = new WireCodec(new Signer(connection.signatureScheme(), connection.key()));
        MessageFactory factory = new MessageFactory(Clock.systemUTC());
        ZMQ.Context context = ZMQ.context(1);
        try (ZMQ.Socket shell = context.socket(SocketType.DEALER);
             ZMQ.Socket control = context.socket(SocketType.DEALER)) {
            for (ZMQ.Socket socket : List.of(shell, control)) {
                socket.setLinger(0);
                socket.setReceiveTimeOut(timeoutMillis);
            }
            shell.connect(connection.address(connection.shellPort()));
            control.connect(connection.address(connection.controlPort()));
            JsonObject code = new JsonObject();
            code.addProperty("code", "for x in range(3):");
            boolean answered = ask(shell, codec, factory, "kernel_info_request", new JsonObject())
                    && ask(shell, codec, factory, "is_complete_request", code);
            JsonObject shutdown = new JsonObject();
            shutdown.addProperty("restart", false);
            return ask(control, codec, factory, "shutdown_request", shutdown) && answered;
        } finally {
            context.term();
        }
    }

    private static boolean ask(ZMQ.Socket socket, WireCodec codec, MessageFactory factory, String type,
                               JsonObject content) {
        Frames.send(socket, codec.encode(factory.create(type, null, List.of(), content)));
        List<byte[]> reply = Frames.receive(socket, 0);
        if (reply == null) {
            return false;
        }
        try {
            codec.decode(reply);
            return true;
        } catch (BadMessageException e) {
            return false;
        }
    }
}
