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
    void noStatementIsForgottenBeforeTheGatewayHasStoredItsEnd() {
        StatementHistory history = new StatementHistory();
        int statements = 2_000;
        for (long id = 0; id < statements; id++) {
            history.received(id);
        }
        for (long id = 0; id < statements / 2; id++) {
            history.record(new ChannelMessage.StatementStarted(id, 1));
            history.record(finished(id));
        }
        for (long id = 0; id < statements; id++) {
            assertTrue(history.replay(id).isPresent(), "statement " + id + " is held");
        }
        history.stored(List.of(0L, 1L, 1500L));
        assertTrue(history.replay(0).isEmpty(), "a stored end is forgotten");
        assertTrue(history.replay(1).isEmpty());
        assertTrue(history.replay(1500).isPresent(), "a statement not finished here stays, whatever the gateway says");
        assertEquals(statements - 2, history.size());
    }

    @Test
    void aResyncForgetsTheFinishedStatementsItDoesNotAskFor() {
        StatementHistory history = new StatementHistory();
        for (long id = 0; id < 4; id++) {
            history.received(id);
        }
        history.record(finished(0));
        history.record(finished(1));
        history.record(finished(3));
        history.resynced(List.of(1L, 2L));
        assertTrue(history.replay(0).isEmpty(), "finished and not asked for: the gateway stored it");
        assertTrue(history.replay(1).isPresent());
        assertTrue(history.replay(2).isPresent());
        assertTrue(history.replay(3).isEmpty());
    }

    @Test
    void pastTheOutputBoundTheOldestFinishedStatementsKeepANoteAndTheirEnd() {
        StatementHistory history = new StatementHistory();
        String chunk = "x".repeat(1024 * 1024);
        int chunks = (int) (StatementHistory.MAX_CHARS / chunk.length());
        history.received(0);
        history.received(1);
        history.record(new ChannelMessage.Output(1, "stdout", chunk)); // still running, and stays whole
        for (int i = 0; i < chunks; i++) {
            history.record(new ChannelMessage.Output(0, "stdout", chunk));
        }
        JsonObject value = new JsonObject();
        value.addProperty("text/plain", "42");
        history.record(new ChannelMessage.StatementFinished(0, "available", StatementOutput.ok(3, value), 20));

        List<ChannelMessage> trimmed = history.replay(0).orElseThrow();
        assertEquals(3, trimmed.size(), trimmed.toString());
        ChannelMessage.Output note = (ChannelMessage.Output) trimmed.get(1);
        assertEquals("stderr", note.stream());
        assertTrue(note.text().contains("dropped this statement's output"), note.text());
        ChannelMessage.StatementFinished end = (ChannelMessage.StatementFinished) trimmed.get(2);
        assertEquals("available", end.state());
        assertEquals(3, end.output().executionCount());
        assertTrue(end.output().data().get("text/plain").getAsString().contains("dropped"), end.toString());
        assertEquals(List.of(new ChannelMessage.StatementReplay(1, 0), new ChannelMessage.Output(1, "stdout", chunk)),
                history.replay(1).orElseThrow());
    }

    private static ChannelMessage.StatementFinished finished(long id) {
        return new ChannelMessage.StatementFinished(id, "available", StatementOutput.ok(1, new JsonObject()), 2);
    }
}
