package io.hearth.kernel.jupyter;

import com.google.gson.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** A minimal Jupyter client on JeroMQ for tests: DEALER sockets to shell and control, SUB to iopub, REQ to heartbeat. */
public final class WireClient implements AutoCloseable {

    static final String KEY = "b6f1d1c2-test-key";

    private final ConnectionInfo connection;
    private final ZMQ.Context context = ZMQ.context(1);
    private final WireCodec codec;
    private final MessageFactory factory = new MessageFactory(Clock.systemUTC());
    public final ZMQ.Socket shell;
    public final ZMQ.Socket control;
    public final ZMQ.Socket iopub;
    public final ZMQ.Socket heartbeat;

    public WireClient(ConnectionInfo connection) throws Exception {
        this.connection = connection;
        this.codec = new WireCodec(new Signer(connection.signatureScheme(), connection.key()));
        shell = connect(SocketType.DEALER, connection.shellPort());
        control = connect(SocketType.DEALER, connection.controlPort());
        heartbeat = connect(SocketType.REQ, connection.hbPort());
        iopub = connect(SocketType.SUB, connection.iopubPort());
        iopub.subscribe(new byte[0]);
    }

    /** A connection on five free loopback ports, signed with {@link #KEY}. */
    public static ConnectionInfo freeConnection() throws Exception {
        int[] ports = new int[5];
        List<ServerSocket> held = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            ServerSocket s = new ServerSocket(0);
            held.add(s);
            ports[i] = s.getLocalPort();
        }
        for (ServerSocket s : held) {
            s.close();
        }
        return new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4],
                "hmac-sha256", KEY);
    }

    /** Sends a correctly signed request; returns its message. */
    public JupyterMessage send(ZMQ.Socket socket, String type, JsonObject content) {
        JupyterMessage message = factory.create(type, null, List.of(), content);
        Frames.send(socket, codec.encode(message));
        return message;
    }

    /** Sends raw frames (after the routing delimiter the kernel expects). */
    void sendRaw(ZMQ.Socket socket, List<byte[]> frames) {
        Frames.send(socket, frames);
    }

    /** The frames of a correctly built request whose signature is then replaced by {@code signature}. */
    List<byte[]> framesWithSignature(String type, String signature) {
        List<byte[]> frames = new ArrayList<>(codec.encode(factory.create(type, null, List.of(), new JsonObject())));
        frames.set(1, signature.getBytes(StandardCharsets.US_ASCII));
        return frames;
    }

    /** The next message on {@code socket}, or null after {@code timeoutMillis}. */
    public JupyterMessage receive(ZMQ.Socket socket, int timeoutMillis) throws BadMessageException {
        socket.setReceiveTimeOut(timeoutMillis);
        List<byte[]> frames = Frames.receive(socket, 0);
        return frames == null ? null : codec.decode(frames);
    }

    /** iopub messages until one of {@code type} whose parent is {@code parentId} arrives (that one included). */
    public List<JupyterMessage> iopubUntil(String parentId, String type, String state) throws BadMessageException {
        List<JupyterMessage> seen = new ArrayList<>();
        while (true) {
            JupyterMessage m = receive(iopub, 10_000);
            if (m == null) {
                throw new AssertionError("no " + type + " " + state + " for " + parentId + " on iopub; saw " + types(seen));
            }
            seen.add(m);
            boolean parentMatches = parentId.equals(m.parentHeader().has("msg_id")
                    ? m.parentHeader().get("msg_id").getAsString() : "");
            if (parentMatches && m.type().equals(type)
                    && (state == null || state.equals(m.content().get("execution_state").getAsString()))) {
                return seen;
            }
        }
    }

    public static List<String> types(List<JupyterMessage> messages) {
        return messages.stream().map(JupyterMessage::type).toList();
    }

    private ZMQ.Socket connect(SocketType type, int port) {
        ZMQ.Socket socket = context.socket(type);
        socket.setLinger(0);
        socket.connect(connection.address(port));
        return socket;
    }

    @Override
    public void close() {
        shell.close();
        control.close();
        iopub.close();
        heartbeat.close();
        context.term();
    }
}
