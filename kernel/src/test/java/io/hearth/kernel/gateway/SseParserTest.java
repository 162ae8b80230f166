package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream reader splits the gateway's frames into events, skipping keep-alive comments. */
class SseParserTest {

    @Test
    void framesBecomeEventsAndCommentsAreSkipped() throws Exception {
        String stream = "id: 1\nevent: output\ndata: {\"stream\":\"stdout\",\"text\":\"a\"}\n\n"
                + ": keep-alive\n\n"
                + "id: 3\nevent: result\ndata: {\"id\":0,\ndata: \"state\":\"available\"}\n\n"
                + "id: 4\nevent: output\ndata: never finished";
        List<SseEvent> events = new ArrayList<>();
        SseParser.parse(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), events::add);
        assertEquals(List.of(new SseEvent(1, "output", "{\"stream\":\"stdout\",\"text\":\"a\"}"),
                new SseEvent(3, "result", "{\"id\":0,\n\"state\":\"available\"}")), events);
    }
}
