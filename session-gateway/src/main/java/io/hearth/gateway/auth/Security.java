package io.hearth.gateway.auth;

import io.hearth.gateway.http.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The gateway's request checks, run before every route: authentication (401), CSRF (400), {@code doAs} (403) and, for
 * any path under {@code /sessions/{session}}, the session's access rule (403). Routes read the result with
 * {@link #caller(Context)}.
 */
public final class Security {

    private static final String CALLER_ATTRIBUTE = "hearth.caller";

    /**
     * Paths answered without credentials: load balancers and orchestrators probe {@code /health} without any, and the
     * API description holds no data. {@code /metrics} is not among them: scrapers can send a bearer token.
     */
    static final java.util.Set<String> PUBLIC_PATHS = java.util.Set.of("/health", "/openapi.yaml");

    private final Authentication authentication;
    private final CsrfCheck csrf;
    private final SessionAccess sessionAccess;

    public Security(Authentication authentication, CsrfCheck csrf, SessionAccess sessionAccess) {
        this.authentication = authentication;
        this.csrf = csrf;
        this.sessionAccess = sessionAccess;
    }

    /** Registers the checks; call before any route is registered so they run first. */
    public void register(RoutesConfig routes) {
        routes.before(this::authenticate);
        routes.before("/sessions/{session}", this::checkSession);
        routes.before("/sessions/{session}/<rest>", this::checkSession);
    }

    /** Who the request acts for; set by the checks before any route runs. */
    public static Caller caller(Context ctx) {
        Caller c = ctx.attribute(CALLER_ATTRIBUTE);
        if (c == null) {
            throw new IllegalStateException("no caller: Security.register must run before the routes");
        }
        return c;
    }

    private void authenticate(Context ctx) {
        if (PUBLIC_PATHS.contains(ctx.path()) && "GET".equals(ctx.method().name())) {
            ctx.attribute(CALLER_ATTRIBUTE, Caller.anonymous());
            return;
        }
        Caller caller;
        try {
            caller = authentication.authenticate(ctx::header, ctx.queryParam("doAs"), ctx.ip());
        } catch (ApiException e) {
            if (e.status() == 401) {
                for (String challenge : authentication.challenges()) {
                    ctx.res().addHeader("WWW-Authenticate", challenge);
                }
            }
            throw e;
        }
        csrf.check(ctx.method().name(), ctx::header);
        ctx.attribute(CALLER_ATTRIBUTE, caller);
    }

    private void checkSession(Context ctx) {
        sessionAccess.check(caller(ctx), ctx.pathParam("session"));
    }
}
