package io.hearth.kernel.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/** The parts of a Jupyter connection file the kernel uses: where to bind its five sockets and how to sign. */
public record ConnectionInfo(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String signatureScheme, String key) {

    /** Parses a connection file's JSON; a missing or mistyped field is an {@link IllegalArgumentException}. */
    public static ConnectionInfo parse(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
        }
        return new ConnectionInfo(string(o, "transport", "tcp"), string(o, "ip", "127.0.0.1"),
                port(o, "shell_port"), port(o, "iopub_port"), port(o, "stdin_port"), port(o, "control_port"),
                port(o, "hb_port"), string(o, "signature_scheme", "hmac-sha256"), string(o, "key", ""));
    }

    /** The ZeroMQ address of {@code port} on this connection's transport and ip. */
    public String address(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }

    private static String string(JsonObject o, String name, String fallback) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static int port(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("the connection file has no numeric " + name);
        }
        return e.getAsInt();
    }
}
