package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import io.hearth.gateway.http.ApiException;
import io.hearth.protocol.ChannelMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Completion and inspection: questions a session's engine answers by id, even while a statement runs. A session still
 * starting or recovering, or an engine that does not answer in time, offers nothing (the user presses Tab again); a
 * dead session is a 400.
 */
public final class Introspection {

    /** Longer than the engine's own introspection timeout, so its empty answer arrives before ours. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    private final Session session;

    public Introspection(Session session) {
        this.session = session;
    }

    /** Completion candidates for the code at the cursor (code points). */
    public ChannelMessage.CompleteReply complete(Kind kind, String code, int cursor) {
        return ask(requestId -> new ChannelMessage.Complete(requestId, kind.wireName(), code, cursor),
                ChannelMessage.CompleteReply.class).orElse(new ChannelMessage.CompleteReply(0, List.of(), cursor, cursor));
    }

    /** Documentation for the name at the cursor. */
    public ChannelMessage.InspectReply inspect(Kind kind, String code, int cursor, int detailLevel) {
        return ask(requestId -> new ChannelMessage.Inspect(requestId, kind.wireName(), code, cursor, detailLevel),
                ChannelMessage.InspectReply.class).orElse(new ChannelMessage.InspectReply(0, false, new JsonObject()));
    }

    private <T extends ChannelMessage> Optional<T> ask(LongFunction<ChannelMessage> request, Class<T> replyType) {
        Optional<SessionEngine> engine = session.engineToAsk();
        if (engine.isEmpty()) {
            return Optional.empty();
        }
        try {
            return engine.get().ask(request, replyType, REPLY_TIMEOUT);
        } catch (IOException e) {
            session.fail("could not send to the engine: " + e.getMessage());
            throw ApiException.badRequest("Session " + session.id() + " is dead; create a new session");
        }
    }
}
