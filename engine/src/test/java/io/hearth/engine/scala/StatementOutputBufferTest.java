package io.hearth.engine.scala;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.engine.interpreter.OutputListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Printed bytes become text for the listener: whole characters, in batches, and nothing after the statement's end. */
class StatementOutputBufferTest {

    private record Written(String stream, String text) {
    }

    private final List<Written> written = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
    private final StatementOutputBuffer buffer = new StatementOutputBuffer(
            (stream, text) -> written.add(new Written(stream, text)), logStream, logStream);

    @Test
    void aCharacterSplitAcrossWritesArrivesWhole() {
        byte[] bytes = "é€\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 2, 3 and 4 bytes
        for (byte b : bytes) {
            buffer.write(StatementOutputBuffer.Stream.STDOUT, new byte[] {b}, 0, 1);
            buffer.flush();
        }
        StringBuilder text = new StringBuilder();
        written.forEach(w -> text.append(w.text()));
        assertEquals("é€\uD83D\uDE00", text.toString());
        assertEquals(3, written.size(), "one message per completed character: " + written);
    }

    @Test
    void smallWritesAreBatchedUntilFlushedStdoutFirst() {
        write(StatementOutputBuffer.Stream.STDERR, "e1 ");
        write(StatementOutputBuffer.Stream.STDOUT, "a ");
        write(StatementOutputBuffer.Stream.STDOUT, "b");
        write(StatementOutputBuffer.Stream.STDERR, "e2");
        assertEquals(List.of(), written);
        buffer.flush();
        assertEquals(List.of(new Written(OutputListener.STDOUT, "a b"), new Written(OutputListener.STDERR, "e1 e2")),
                written);
    }

    @Test
    void largeOutputIsSentWithoutWaitingForTheTimer() {
        write(StatementOutputBuffer.Stream.STDOUT, "x".repeat(StatementOutputBuffer.FLUSH_CHARS));
        assertEquals(1, written.size());
    }

    @Test
    void writesAfterTheEndGoToTheLogNotTheStatement() {
        write(StatementOutputBuffer.Stream.STDOUT, "during");
        buffer.end();
        write(StatementOutputBuffer.Stream.STDOUT, "after");
        assertEquals(List.of(new Written(OutputListener.STDOUT, "during")), written);
        assertEquals("after", log.toString(StandardCharsets.UTF_8));
    }

    private void write(StatementOutputBuffer.Stream stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        buffer.write(stream, bytes, 0, bytes.length);
    }
}
