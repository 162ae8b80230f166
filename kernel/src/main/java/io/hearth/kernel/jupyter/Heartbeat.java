package io.hearth.kernel.jupyter;

import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** The heartbeat channel: echoes every ping at once, on its own thread, whatever the other channels are doing. */
final class Heartbeat implements Runnable {

    private final ZMQ.Socket socket;

    Heartbeat(ZMQ.Socket socket) {
        this.socket = socket;
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] ping = socket.recv(0);
                if (ping != null) {
                    socket.send(ping, 0);
                }
            }
        } catch (ZMQException e) {
            // The context was terminated: the kernel is stopping.
        } finally {
            socket.close();
        }
    }
}
