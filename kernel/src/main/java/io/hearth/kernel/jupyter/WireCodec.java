package io.hearth.kernel.jupyter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns ZeroMQ frames into {@link JupyterMessage}s and back: the delimiter, the signature, the JSON parts. */
public final class WireCodec {

    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    // Keep characters like '<' literal: clients compare code they sent with code they get back.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final Signer signer;

    /** A codec that signs and verifies with {@code signer}. */
    public WireCodec(Signer signer) {
        this.signer = signer;
    }

    /** Decodes and verifies one message's frames. */
    public JupyterMessage decode(List<byte[]> frames) throws BadMessageException {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || frames.size() < delimiter + 6) {
            throw new BadMessageException("no <IDS|MSG> delimiter followed by a signature and four JSON parts");
        }
        List<byte[]> signed = frames.subList(delimiter + 2, delimiter + 6);
        if (!signer.verify(frames.get(delimiter + 1), signed)) {
            throw new BadMessageException("bad signature");
        }
        return new JupyterMessage(List.copyOf(frames.subList(0, delimiter)), object(signed.get(0), "header"),
                object(signed.get(1), "parent_header"), object(signed.get(2), "metadata"),
                object(signed.get(3), "content"), List.copyOf(frames.subList(delimiter + 6, frames.size())));
    }

    /** The frames of {@code message}, signed. */
    public List<byte[]> encode(JupyterMessage message) {
        List<byte[]> signed = List.of(json(message.header()), json(message.parentHeader()),
                json(message.metadata()), json(message.content()));
        List<byte[]> frames = new ArrayList<>(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(signed).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(signed);
        frames.addAll(message.buffers());
        return frames;
    }

    private static byte[] json(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject object(byte[] frame, String part) throws BadMessageException {
        try {
            JsonElement e = JsonParser.parseString(new String(frame, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new BadMessageException("the " + part + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new BadMessageException("the " + part + " is not JSON");
        }
    }
}
