package io.hearth.kernel.magic;

import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellFailure;
import io.hearth.kernel.cell.CellSink;
import io.hearth.kernel.execution.SessionKeeper;
import io.hearth.kernel.gateway.ActiveGateway;
import io.hearth.kernel.livy.StatementKind;

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
