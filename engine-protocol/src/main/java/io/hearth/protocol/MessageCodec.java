package io.hearth.protocol;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.HashMap;
import java.util.Map;

/** Encodes a {@link ChannelMessage} as one line of JSON with a {@code type} field, and back. */
public final class MessageCodec {

    private final Gson gson = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .disableHtmlEscaping()
            .create();
    private final Map<String, Class<? extends ChannelMessage>> byType = new HashMap<>();

    public MessageCodec() {
        for (Class<?> c : ChannelMessage.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            Class<? extends ChannelMessage> m = (Class<? extends ChannelMessage>) c;
            byType.put(typeName(m), m);
        }
    }

    /** One line, no trailing newline; Gson escapes any newline inside strings. */
    public String encode(ChannelMessage message) {
        JsonObject json = gson.toJsonTree(message).getAsJsonObject();
        json.addProperty("type", typeName(message.getClass()));
        return gson.toJson(json);
    }

    public ChannelMessage decode(String line) {
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
