package io.hearth.engine.scala;

import io.hearth.engine.interpreter.OutputListener;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * Collects the bytes a JVM statement prints to one stream and hands them on as text: decoded as UTF-8 (a character
 * split across two writes is kept until it is whole), and in batches, so a loop of small prints does not become one
 * channel message per print. Whoever owns it calls {@link #flush} on a timer and at the statement's end.
 */
final class StatementOutputBuffer {

    /** The two streams a statement has. */
    enum Stream {
        STDOUT(OutputListener.STDOUT), STDERR(OutputListener.STDERR);

        final String listenerName;

        Stream(String listenerName) {
            this.listenerName = listenerName;
        }
    }

    /** Text waiting beyond this is sent at once rather than on the next timer tick. */
    static final int FLUSH_CHARS = 16 * 1024;

    private final OutputListener listener;
    private final Map<Stream, PrintStream> afterEnd = new EnumMap<>(Stream.class);
    private final Map<Stream, Pending> pending = new EnumMap<>(Stream.class);
    private boolean ended;

    private static final class Pending {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer leftover = ByteBuffer.allocate(0);
        final StringBuilder text = new StringBuilder();
    }

    /**
     * @param out where stdout goes once the statement has ended (a thread it started may print on): the engine log,
     *            so that every {@code Output} of a statement precedes its end
     * @param err the same for stderr
     */
    StatementOutputBuffer(OutputListener listener, PrintStream out, PrintStream err) {
        this.listener = listener;
        afterEnd.put(Stream.STDOUT, out);
        afterEnd.put(Stream.STDERR, err);
        for (Stream s : Stream.values()) {
            pending.put(s, new Pending());
        }
    }

    /** Called from whichever thread printed. */
    synchronized void write(Stream stream, byte[] bytes, int offset, int length) {
        if (ended) {
            afterEnd.get(stream).write(bytes, offset, length);
            return;
        }
        Pending p = pending.get(stream);
        ByteBuffer in = ByteBuffer.allocate(p.leftover.remaining() + length);
        in.put(p.leftover).put(bytes, offset, length).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        p.decoder.decode(in, out, false); // stops before an incomplete trailing sequence, which stays in leftover
        p.leftover = in.slice();
        p.text.append(out.flip());
        if (p.text.length() >= FLUSH_CHARS) {
            send(stream, p);
        }
    }

    /** Sends whatever text is waiting, stdout before stderr. */
    synchronized void flush() {
        for (Stream s : Stream.values()) {
            send(s, pending.get(s));
        }
    }

    /** Sends what is waiting; later writes go to the streams given for after the end. */
    synchronized void end() {
        flush();
        ended = true;
    }

    private void send(Stream stream, Pending p) {
        if (p.text.length() > 0) {
            String text = p.text.toString();
            p.text.setLength(0);
            listener.write(stream.listenerName, text);
        }
    }
}
