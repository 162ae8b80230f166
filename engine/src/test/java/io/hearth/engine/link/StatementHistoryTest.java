package io.hearth.engine.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import io.hearth.protocol.ChannelMessage.StreamChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementHistoryTest {

    @Test
    void aReplayHoldsEverythingSentAboutTheStatementWithStreamsMergedInOrder() {
        StatementHistory history = new StatementHistory();
        history.received(4);
        JsonObject figure = new JsonObject();
        figure.addProperty("image/png", "iVBORw0KGgo=");
        ChannelMessage.StatementFinished finished =
                new ChannelMessage.StatementFinished(4, "available", StatementOutput.ok(1, new JsonObject()), 20);
        history.record(new ChannelMessage.StatementStarted(4, 10));
        history.record(new ChannelMessage.Output(4, "stdout", "a"));
        history.record(new ChannelMessage.Output(4, "stdout", "b\n"));
        history.record(new ChannelMessage.Output(4, "stderr", "oops"));
        history.record(new ChannelMessage.Display(4, figure));
        history.record(new ChannelMessage.Progress(4, 0.5, List.of()));
        history.record(new ChannelMessage.Output(4, "stdout", "c"));
        history.record(finished);

        assertEquals(new ChannelMessage.StatementReplay(4, 10, List.of(new StreamChunk("stdout", "ab\n"),
                new StreamChunk("stderr", "oops"), new StreamChunk("stdout", "c")), List.of(figure), finished),
                history.replay(4).orElseThrow());
    }

    @Test
    void aReceivedStatementThatHasNotStartedIsKnownAndAnUnreceivedOneIsNot() {
        StatementHistory history = new StatementHistory();
        history.received(1);
        ChannelMessage.StatementReplay queued = history.replay(1).orElseThrow();
        assertEquals(0, queued.startedAt());
        assertNull(queued.finished());
        assertTrue(history.replay(2).isEmpty());
        history.record(new ChannelMessage.Output(2, "stdout", "not kept: never received"));
        assertTrue(history.replay(2).isEmpty());
    }

    @Test
    void onlyTheLastStatementsAndABoundedAmountOfOutputAreKept() {
        StatementHistory history = new StatementHistory();
        for (long id = 0; id < StatementHistory.MAX_STATEMENTS + 5; id++) {
            history.received(id);
        }
        assertTrue(history.replay(4).isEmpty());
        assertTrue(history.replay(5).isPresent());

        String chunk = "x".repeat(1024 * 1024);
        long big = 1000;
        history.received(big);
        for (int i = 0; i < StatementHistory.MAX_CHARS / chunk.length() + 1; i++) {
            history.record(new ChannelMessage.Output(big, "stdout", chunk));
        }
        assertTrue(history.replay(StatementHistory.MAX_STATEMENTS + 4).isEmpty(), "older statements made room");
        assertTrue(history.replay(big).isPresent(), "the newest statement stays, whatever its size");
    }
}
