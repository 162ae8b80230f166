package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The channel's framing over a real loopback socket: message size limits before and after the handshake. */
class ChannelTest {

    private final MessageCodec codec = new MessageCodec();
    private ServerSocket server;
    private Socket senderSocket;
    private Channel sender;
    private Channel receiver;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        senderSocket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        sender = new Channel(senderSocket, codec);
        receiver = new Channel(server.accept(), codec);
    }

    @AfterEach
    void close() throws Exception {
        sender.close();
        receiver.close();
        server.close();
    }

    /** Sends on a thread of its own: a long message fills the socket's buffers until the receiver reads. */
    private void sendMeanwhile(ChannelMessage... messages) {
        Thread t = new Thread(() -> {
            try {
                for (ChannelMessage m : messages) {
                    sender.send(m);
                }
            } catch (java.io.IOException e) {
                // the receiving side's assertions say what went wrong
            }
        }, "channel-test-sender");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void theLimitFollowsTheStatementOutputLimitAndNeverFallsBelowACellsCode() {
        assertEquals(64 * 1024 * 1024 + Channel.ENVELOPE_CHARS, Channel.maxLineChars(64L * 1024 * 1024));
        assertEquals(Channel.MIN_LINE_CHARS + Channel.ENVELOPE_CHARS, Channel.maxLineChars(1024));
        assertEquals(Integer.MAX_VALUE - 16, Channel.maxLineChars(Long.MAX_VALUE));
    }

    @Test
    void beforeTheHandshakeALongMessageIsRefusedAndTheNextOneStillArrives() throws Exception {
        sendMeanwhile(new ChannelMessage.Hello("7", "x".repeat(Channel.HANDSHAKE_LINE_CHARS), null, 2),
                new ChannelMessage.Hello("7", "mac", null, 2));
        ProtocolException tooLong = assertThrows(ProtocolException.class, receiver::receive);
        assertTrue(tooLong.getMessage().contains("more than the 65,536 this channel takes"), tooLong.getMessage());
        assertEquals(new ChannelMessage.Hello("7", "mac", null, 2), receiver.receive());
    }

    @Test
    void anOpenChannelCarriesAResultOfTheAgreedSizeWhole() throws Exception {
        long limit = 20L * 1024 * 1024;
        receiver.open(limit);
        assertEquals(limit, receiver.maxStatementOutput());
        JsonObject data = new JsonObject();
        // Longer than the 16 Mi characters a message could once have, with characters of 1, 2, 3 and 4 UTF-8 bytes.
        String text = "row \u00e9\u20ac\ud83c\udf5e\n".repeat(2_000_000);
        data.addProperty("text/plain", text);
        ChannelMessage.StatementFinished finished = new ChannelMessage.StatementFinished(3, "available",
                ChannelMessage.StatementOutput.ok(1, data), 9);
        sendMeanwhile(finished, new ChannelMessage.Ping());
        assertEquals(finished, receiver.receive());
        assertEquals(new ChannelMessage.Ping(), receiver.receive());
    }

    @Test
    void anOpenChannelRefusesAMessageBeyondItsLimitAndStaysInStep() throws Exception {
        receiver.open(1024);
        int max = Channel.maxLineChars(1024);
        sendMeanwhile(new ChannelMessage.Output(1, "stdout", "y".repeat(max)),
                new ChannelMessage.Output(1, "stdout", "after"));
        ProtocolException tooLong = assertThrows(ProtocolException.class, receiver::receive);
        assertTrue(tooLong.getMessage().startsWith("message of 17,825,"), tooLong.getMessage());
        assertEquals(new ChannelMessage.Output(1, "stdout", "after"), receiver.receive());
    }

    @Test
    void aPeerThatStopsMidMessageIsAnErrorAndAClosedOneIsTheEnd() throws Exception {
        OutputStream raw = senderSocket.getOutputStream();
        raw.write("{\"type\":\"ping\"}\n{\"type\":".getBytes(StandardCharsets.UTF_8));
        raw.flush();
        senderSocket.shutdownOutput();
        assertEquals(new ChannelMessage.Ping(), receiver.receive());
        assertThrows(ProtocolException.class, receiver::receive);
        assertNull(receiver.receive());
    }
}
