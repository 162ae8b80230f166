package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.OutputListener;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written to one standard stream, decoded as UTF-8 and handed to the statement's listener at once (a character
 * split across writes waits for its last byte). Only ever written while its statement runs.
 */
final class ListenerOutputStream extends OutputStream {

    private final String stream;
    private final OutputListener listener;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    ListenerOutputStream(String stream, OutputListener listener) {
        this.stream = stream;
        this.listener = listener;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + length);
        in.put(pending).put(bytes, offset, length).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining());
        decoder.decode(in, out, false);
        pending = in.slice();
        out.flip();
        if (out.hasRemaining()) {
            listener.write(stream, out.toString());
        }
    }
}
