package io.hearth.kernel.jupyter;

import com.google.gson.JsonObject;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Makes the kernel's messages: its own session id, fresh message ids, microsecond UTC timestamps. */
public final class MessageFactory {

    /** The messaging protocol version the kernel speaks (5.5: the iopub welcome message). */
    public static final String PROTOCOL_VERSION = "5.5";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String session = UUID.randomUUID().toString();
    private final Clock clock;

    /** A factory stamping messages with {@code clock}'s time. */
    public MessageFactory(Clock clock) {
        this.clock = clock;
    }

    /** This kernel's session id, in every header it sends (never a client's). */
    public String session() {
        return session;
    }

    /** A new message of {@code type} in reply to {@code parent} (null: none), sent to {@code identities}. */
    public JupyterMessage create(String type, JupyterMessage parent, List<byte[]> identities, JsonObject content) {
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", UUID.randomUUID().toString());
        header.addProperty("msg_type", type);
        header.addProperty("username", "hearth");
        header.addProperty("session", session);
        header.addProperty("date", DATE.format(clock.instant().truncatedTo(ChronoUnit.MICROS)));
        header.addProperty("version", PROTOCOL_VERSION);
        JsonObject parentHeader = parent == null ? new JsonObject() : parent.header().deepCopy();
        return new JupyterMessage(identities, header, parentHeader, new JsonObject(), content, List.of());
    }
}
