package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.CellFailure;
import io.hearth.kernel.CellSink;
import io.hearth.kernel.GatewayClient;
import io.hearth.kernel.SessionKeeper;

/**
 * What magics work with: the gateway, the kernel's session, the registry (for help), and a way to run code of any
 * language in the session.
 */
public record MagicContext(GatewayClient client, SessionKeeper sessions, Magics magics, Languages languages,
                           CodeRunner code) {

    /** Runs cell text (which may hold line magics) as statements of one language in the kernel's session. */
    @FunctionalInterface
    public interface CodeRunner {
        /** Runs {@code text} as {@code kind}; returns the result bundle of its last part. */
        JsonObject run(String text, String kind, CellSink sink) throws CellFailure;
    }
}
