package io.hearth.engine;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the runner's messages on the gateway channel; a broken channel is logged once, then sends are dropped. */
final class ChannelSink implements StatementSink {

    private static final Logger log = LoggerFactory.getLogger(ChannelSink.class);

    private final Channel channel;
    private final AtomicBoolean broken = new AtomicBoolean();

    ChannelSink(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void send(ChannelMessage message) {
        if (broken.get()) {
            return;
        }
        try {
            channel.send(message);
        } catch (IOException e) {
            if (broken.compareAndSet(false, true)) {
                log.warn("cannot send to the gateway any more ({}); the engine will stop", e.toString());
            }
        }
    }
}
