package io.hearth.engine.run;

import io.hearth.protocol.ChannelMessage;

/** Where the runner's messages to the gateway go: the channel in the engine, a collecting list in tests. */
@FunctionalInterface
public interface StatementSink {

    /** Must not throw: a gateway that went away is noticed by the message loop, not by the statement runner. */
    void send(ChannelMessage message);
}
