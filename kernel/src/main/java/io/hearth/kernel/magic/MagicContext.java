package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.CellFailure;
import io.hearth.kernel.CellSink;
import io.hearth.kernel.ActiveGateway;
import io.hearth.kernel.SessionKeeper;
import io.hearth.kernel.StatementKind;

/**
 * What magics work with: the gateway in use (asked at each call, since {@code %%configure} may switch it), the
 * kernel's session, the registry (for help), and a way to run code of any language in the session.
 */
public record MagicContext(ActiveGateway gateway, SessionKeeper sessions, Magics magics, Languages languages,
                           CodeRunner code) {

    /** Runs cell text (which may hold line magics) as statements of one language in the kernel's session. */
    @FunctionalInterface
    public interface CodeRunner {
        /** Runs {@code text} as {@code kind}; returns the result bundle of its last part. */
        JsonObject run(String text, StatementKind kind, CellSink sink) throws CellFailure;
    }
}
