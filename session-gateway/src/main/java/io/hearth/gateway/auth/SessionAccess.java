package io.hearth.gateway.auth;

import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.session.SessionSpec;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Who may see and change a session: its owner and superusers (everyone when authentication is off). Checked once per
 * request for every path under {@code /sessions/{session}}, so a route added there later is covered without a line of
 * its own.
 */
public final class SessionAccess {

    private final BiFunction<Caller, String, Optional<SessionSpec>> sessionById;

    /**
     * @param sessionById a session's spec by the id or name in its path, as that caller names it (names are per
     *                    owner); empty when there is no such session
     */
    public SessionAccess(BiFunction<Caller, String, Optional<SessionSpec>> sessionById) {
        this.sessionById = sessionById;
    }

    /**
     * @throws ApiException 403 when the session exists and the caller may not access it; a missing session is left to
     *                      the route, which answers 404
     */
    public void check(Caller caller, String idOrName) {
        Optional<SessionSpec> spec = sessionById.apply(caller, idOrName);
        if (spec.isPresent() && !caller.mayAccess(spec.get().owner())) {
            throw new ApiException(403, "User '" + caller.user() + "' is not allowed to access session " + idOrName
                    + ": only its owner and superusers are");
        }
    }
}
