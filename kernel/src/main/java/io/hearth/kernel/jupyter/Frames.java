package io.hearth.kernel.jupyter;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/** Receives and sends multipart ZeroMQ messages as lists of frames. */
final class Frames {

    private Frames() {
    }

    /** All frames of the next message; blocks unless {@code flags} is {@link ZMQ#DONTWAIT}; null if none waits. */
    static List<byte[]> receive(ZMQ.Socket socket, int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    /** Sends {@code frames} as one message. */
    static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
