package io.hearth.protocol;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.HashMap;
import java.util.Map;

/**
 * Encodes a {@link ChannelMessage} as one line of JSON with a {@code type} field, first, and back. The type comes first
 * so that a message is decoded straight into its record: a result can be tens of megabytes of JSON, and a tree of it
 * in between would cost several times that.
 */
public final class MessageCodec {

    private final Gson gson = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .disableHtmlEscaping()
            .create();
    private final Map<String, Class<? extends ChannelMessage>> byType = new HashMap<>();
    private static final String TYPE_FIRST = "{\"type\":\"";

    public MessageCodec() {
        for (Class<?> c : ChannelMessage.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends ChannelMessage> m = (Class<? extends ChannelMessage>) c;
            byType.put(typeName(m), m);
        }
    }

    /** One line, no trailing newline; Gson escapes any newline inside strings. */
    public String encode(ChannelMessage message) {
        String fields = gson.toJson(message);
        String type = "{\"type\":\"" + typeName(message.getClass()) + "\"";
        return fields.length() == 2 ? type + "}" : type + "," + fields.substring(1);
    }

    public ChannelMessage decode(String line) {
        if (line.startsWith(TYPE_FIRST)) {
            int end = line.indexOf('"', TYPE_FIRST.length());
            Class<? extends ChannelMessage> type = end < 0 ? null : byType.get(line.substring(TYPE_FIRST.length(), end));
            if (type != null) {
                try {
                    ChannelMessage m = gson.fromJson(line, type);
                    if (m != null) {
                        return m;
                    }
                } catch (JsonParseException e) {
                    throw new ProtocolException("malformed " + type.getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        return decodeAnyOrder(line);
    }

    /** A message whose type is not its first field (written by hand, say): parsed as a tree first. */
    private ChannelMessage decodeAnyOrder(String line) {
        JsonObject json;
        try {
            json = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ProtocolException("not a JSON object: " + abbreviate(line));
        }
        if (!json.has("type")) {
            throw new ProtocolException("message without a type: " + abbreviate(line));
        }
        Class<? extends ChannelMessage> type = byType.get(json.get("type").getAsString());
        if (type == null) {
            throw new ProtocolException("unknown message type: " + json.get("type"));
        }
        try {
            return gson.fromJson(json, type);
        } catch (JsonParseException e) {
            throw new ProtocolException("malformed " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String typeName(Class<?> c) {
        return c.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
