package io.hearth.gateway.rest;


import com.google.gson.Gson;
import io.hearth.gateway.auth.Caller;
import io.hearth.gateway.auth.Security;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.Sessions;
import io.javalin.config.RoutesConfig;

/**
 * Livy's {@code POST /sessions/{id}/connect}: what Livy's programmatic client calls to attach to an existing session;
 * the answer is the session, as {@code GET /sessions/{id}} gives it.
 */
final class SessionConnect {

    private final Sessions sessions;
    private final Gson gson;

    SessionConnect(Sessions sessions, Gson gson) {
        this.sessions = sessions;
        this.gson = gson;
    }

    void register(RoutesConfig routes) {
        routes.post("/sessions/{session}/connect", ctx -> {
            String id = ctx.pathParam("session");
            Caller caller = Security.caller(ctx);
            Session s = sessions.find(id, caller.user(), caller.superuser())
                    .orElseThrow(() -> ApiException.noSession(id));
            ctx.status(200).contentType("application/json")
                    .result(gson.toJson(LivyViews.session(s.info(), s.log().tail(LivyViews.SESSION_LOG_LINES))));
        });
    }
}
