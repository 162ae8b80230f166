package io.hearth.engine;

import io.hearth.engine.interpreter.OutputListener;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelMessage.StatementFinished;
import java.util.List;

/** The outcome of one statement in a test: everything it sent, and its end. */
public record RunRecord(List<CollectingSink.Received> messages, StatementFinished finished) {

    public String stdout() {
        return stream(OutputListener.STDOUT);
    }

    public String stderr() {
        return stream(OutputListener.STDERR);
    }

    private String stream(String name) {
        StringBuilder text = new StringBuilder();
        for (CollectingSink.Received r : messages) {
            if (r.message() instanceof ChannelMessage.Output o && o.stream().equals(name)) {
                text.append(o.text());
            }
        }
        return text.toString();
    }

    public String textPlain() {
        var data = finished.output().data();
        if (data == null) {
            throw new AssertionError("statement failed: " + finished.output());
        }
        return data.has("text/plain") ? data.get("text/plain").getAsString() : null;
    }
}
