package io.hearth.engine.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementHistoryTest {

    @Test
    void aReplayTellsEverythingSentAboutTheStatementInOrderAsTheMessagesThemselves() {
        StatementHistory history = new StatementHistory();
        history.received(4);
        JsonObject figure = new JsonObject();
        figure.addProperty("image/png", "iVBORw0KGgo=");
        ChannelMessage.StatementFinished finished =
                new ChannelMessage.StatementFinished(4, "available", StatementOutput.ok(1, new JsonObject()), 20);
        List<ChannelMessage> shown = List.of(new ChannelMessage.Output(4, "stdout", "a"),
                new ChannelMessage.Output(4, "stdout", "b\n"), new ChannelMessage.Output(4, "stderr", "oops"),
                new ChannelMessage.Display(4, figure), new ChannelMessage.Output(4, "stdout", "c"));
        history.record(new ChannelMessage.StatementStarted(4, 10));
        shown.subList(0, 4).forEach(history::record);
        history.record(new ChannelMessage.Progress(4, 0.5, List.of()));
        history.record(shown.get(4));
        history.record(finished);

        List<ChannelMessage> expected = new java.util.ArrayList<>();
        expected.add(new ChannelMessage.StatementReplay(4, 10));
        expected.addAll(shown);
        expected.add(finished);
        assertEquals(expected, history.replay(4).orElseThrow());
    }

    @Test
    void aReceivedStatementThatHasNotStartedIsKnownAndAnUnreceivedOneIsNot() {
        StatementHistory history = new StatementHistory();
        history.received(1);
        assertEquals(List.of(new ChannelMessage.StatementReplay(1, 0)), history.replay(1).orElseThrow());
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
