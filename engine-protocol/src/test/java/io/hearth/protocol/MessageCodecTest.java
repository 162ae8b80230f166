package io.hearth.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void everyMessageSurvivesARoundTripOnOneLine() {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", "2\n3");
        List<ChannelMessage> messages = List.of(
                new ChannelMessage.Execute(1, "pyspark", "print('a')\nprint('b')"),
                new ChannelMessage.StatementFinished(1, "available", ChannelMessage.StatementOutput.ok(1, data), 5),
                new ChannelMessage.StatementFinished(2, "available",
                        ChannelMessage.StatementOutput.error(2, "ZeroDivisionError", "division by zero", List.of("l1", "l2")), 6),
                new ChannelMessage.Display(3, data),
                new ChannelMessage.StatementWarning(4, ChannelMessage.StatementWarning.EXECUTOR_LOST,
                        "Lost executor 0 on 127.0.0.1: worker lost"),
                new ChannelMessage.EngineReady("local-1", null, "4.2.0", "local[*]", null),
                new ChannelMessage.Welcome(64L * 1024 * 1024, "link-key"),
                new ChannelMessage.Hello("3", "mac", "link-mac", Handshake.PROTOCOL_VERSION),
                new ChannelMessage.ApplyConf(7, java.util.Map.of("spark.sql.shuffle.partitions", "7")),
                new ChannelMessage.ConfApplied(7, null),
                new ChannelMessage.ConfApplied(8, "spark.driver.memory cannot change on a running SparkSession"),
                new ChannelMessage.Shutdown());
        for (ChannelMessage m : messages) {
            String line = codec.encode(m);
            assertFalse(line.contains("\n"), line);
            assertEquals(m, codec.decode(line));
        }
    }

    @Test
    void resyncMessagesSurviveARoundTrip() {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", "42");
        ChannelMessage.StatementFinished finished =
                new ChannelMessage.StatementFinished(3, "available", ChannelMessage.StatementOutput.ok(3, data), 20);
        List<ChannelMessage> messages = List.of(
                new ChannelMessage.Resync(List.of(2L, 3L, 4L)),
                new ChannelMessage.StatementReplay(3, 10),
                finished,
                new ChannelMessage.StatementReplay(4, 0),
                new ChannelMessage.ResyncDone(List.of(5L)),
                new ChannelMessage.StatementsStored(List.of(3L, 4L)),
                new ChannelMessage.EngineUnusable("the SparkContext was stopped by statement 3; start a new session"));
        for (ChannelMessage m : messages) {
            assertEquals(m, codec.decode(codec.encode(m)));
        }
        assertEquals("{\"type\":\"resync\",\"statement_ids\":[2]}",
                codec.encode(new ChannelMessage.Resync(List.of(2L))));
    }

    @Test
    void wireNamesAreSnakeCase() {
        String line = codec.encode(new ChannelMessage.StatementStarted(4, 99));
        assertEquals("{\"type\":\"statement_started\",\"statement_id\":4,\"started_at\":99}", line);
        assertEquals("{\"type\":\"ping\"}", codec.encode(new ChannelMessage.Ping()));
    }

    @Test
    void displayCarriesItsBundleAsAJsonObject() {
        JsonObject data = new JsonObject();
        data.addProperty("image/png", "iVBORw0KGgo=");
        assertEquals("{\"type\":\"display\",\"statement_id\":7,\"data\":{\"image/png\":\"iVBORw0KGgo=\"}}",
                codec.encode(new ChannelMessage.Display(7, data)));
    }

    @Test
    void aMessageWhoseTypeIsNotFirstIsReadToo() {
        assertEquals(new ChannelMessage.StatementStarted(4, 99),
                codec.decode("{\"statement_id\":4,\"started_at\":99,\"type\":\"statement_started\"}"));
    }

    @Test
    void garbageIsAProtocolErrorNotACrash() {
        assertThrows(ProtocolException.class, () -> codec.decode("not json"));
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":\"nope\"}"));
        assertThrows(ProtocolException.class, () -> codec.decode("{}"));
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":\"execute\",\"statement_id\":\"x\"}"));
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":\"ping\"} trailing"));
        assertThrows(ProtocolException.class, () -> codec.decode("{\"type\":\"nope\",\"a\":1}"));
    }
}
