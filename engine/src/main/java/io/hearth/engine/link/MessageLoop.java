package io.hearth.engine.link;

import io.hearth.engine.interpreter.Completion;
import io.hearth.engine.interpreter.Documentation;
import io.hearth.engine.interpreter.EngineStatement;
import io.hearth.engine.run.StatementRunner;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ProtocolException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the gateway's messages and hands them to the statement runner until {@code Shutdown}, or until the channel is
 * lost and the link cannot reconnect.
 */
public final class MessageLoop {

    private static final Logger log = LoggerFactory.getLogger(MessageLoop.class);

    private final GatewayLink link;
    private final StatementRunner runner;
    // Completion and inspection must not wait behind a long statement, nor hold up the next message.
    private final ExecutorService introspection = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hearth-introspection");
        t.setDaemon(true);
        return t;
    });

    public MessageLoop(GatewayLink link, StatementRunner runner) {
        this.link = link;
        this.runner = runner;
    }

    /** Runs on the calling thread; returns when the engine should stop. */
    public void run() {
        try {
            loop();
        } finally {
            introspection.shutdownNow();
        }
    }

    private void loop() {
        Channel channel = link.channel();
        while (true) {
            ChannelMessage message;
            try {
                message = channel.receive();
            } catch (ProtocolException e) {
                // One bad line does not make the channel unusable: the next line is a new message.
                log.warn("ignoring a malformed message from the gateway: {}", e.getMessage());
                continue;
            } catch (IOException e) {
                if (!channel.isClosed()) {
                    log.warn("the gateway channel failed: {}", e.toString());
                }
                message = null;
            }
            if (message == null) {
                // The gateway may be restarting: statements go on meanwhile, and it resynchronises when it is back.
                Optional<Channel> next = reconnect();
                if (next.isEmpty()) {
                    return;
                }
                channel = next.get();
                continue;
            }
            if (message instanceof ChannelMessage.Execute execute) {
                link.received(execute.statementId());
                runner.submit(new EngineStatement(execute.statementId(), execute.kind(), execute.code()));
            } else if (message instanceof ChannelMessage.Resync resync) {
                link.resync(resync);
            } else if (message instanceof ChannelMessage.StatementsStored stored) {
                link.stored(stored.statementIds());
            } else if (message instanceof ChannelMessage.Cancel cancel) {
                runner.cancel(cancel.statementId());
            } else if (message instanceof ChannelMessage.Complete complete) {
                introspection.execute(() -> answer(complete));
            } else if (message instanceof ChannelMessage.Inspect inspect) {
                introspection.execute(() -> answer(inspect));
            } else if (message instanceof ChannelMessage.ApplyConf apply) {
                reply(new ChannelMessage.ConfApplied(apply.requestId(), RuntimeConf.apply(apply.conf()).orElse(null)));
            } else if (message instanceof ChannelMessage.Shutdown) {
                log.info("the gateway asked the engine to shut down");
                return;
            } else if (!(message instanceof ChannelMessage.Ping)) {
                log.warn("ignoring unexpected {} from the gateway", message.getClass().getSimpleName());
            }
        }
    }

    private void answer(ChannelMessage.Complete request) {
        Completion completion;
        try {
            completion = runner.complete(request.kind(), request.code(), request.cursor());
        } catch (RuntimeException e) {
            log.warn("completion failed: {}", e.toString());
            completion = Completion.none(request.cursor());
        }
        reply(new ChannelMessage.CompleteReply(request.requestId(), completion.matches(), completion.cursorStart(),
                completion.cursorEnd()));
    }

    private void answer(ChannelMessage.Inspect request) {
        Documentation documentation;
        try {
            documentation = runner.inspect(request.kind(), request.code(), request.cursor(), request.detailLevel());
        } catch (RuntimeException e) {
            log.warn("inspection failed: {}", e.toString());
            documentation = Documentation.notFound();
        }
        reply(new ChannelMessage.InspectReply(request.requestId(), documentation.found(), documentation.data()));
    }

    private void reply(ChannelMessage message) {
        link.reply(message);
    }

    private Optional<Channel> reconnect() {
        try {
            return link.reconnect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
