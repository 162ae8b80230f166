package io.hearth.kernel.jupyter;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * The kernel's five Jupyter channels on JeroMQ: a thread each for shell, control, heartbeat and iopub (stdin is
 * bound, as clients connect to it, but the kernel never asks for input). Owns the threads and stops them.
 */
public final class KernelServer implements AutoCloseable {

    private static final int LINGER_MILLIS = 1000;

    private final ZMQ.Context context = ZMQ.context(1);
    private final Iopub iopub;
    private final ZMQ.Socket stdin;
    private final List<Thread> threads;
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private boolean closed;

    /** Binds the channels of {@code connection}; {@code handlers} answer requests by type on shell and control. */
    public KernelServer(ConnectionInfo connection, Map<String, RequestHandler> handlers)
            throws GeneralSecurityException {
        WireCodec codec = new WireCodec(new Signer(connection.signatureScheme(), connection.key()));
        MessageFactory factory = new MessageFactory(Clock.systemUTC());
        iopub = new Iopub(context, connection.address(connection.iopubPort()), codec, factory);
        ZMQ.Socket shell = bind(SocketType.ROUTER, connection.address(connection.shellPort()));
        ZMQ.Socket control = bind(SocketType.ROUTER, connection.address(connection.controlPort()));
        ZMQ.Socket heartbeat = bind(SocketType.REP, connection.address(connection.hbPort()));
        stdin = bind(SocketType.ROUTER, connection.address(connection.stdinPort()));
        Runnable stop = shutdown::countDown;
        threads = List.of(
                new Thread(new RequestLoop("shell", shell, codec, iopub, factory, handlers, stop), "hearth-jupyter-shell"),
                new Thread(new RequestLoop("control", control, codec, iopub, factory, handlers, stop),
                        "hearth-jupyter-control"),
                new Thread(new Heartbeat(heartbeat), "hearth-jupyter-heartbeat"));
    }

    /** Starts serving. */
    public void start() {
        iopub.start();
        threads.forEach(Thread::start);
    }

    /** Blocks until a {@code shutdown_request} has been answered. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    /** Flushes iopub, then stops every channel thread and closes the sockets. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        iopub.close();
        stdin.close();
        // Terminating the context makes each thread's blocking receive fail; each closes its own socket.
        context.term();
        for (Thread thread : threads) {
            thread.join(5000);
        }
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket socket = context.socket(type);
        socket.setLinger(LINGER_MILLIS);
        socket.bind(address);
        return socket;
    }
}
