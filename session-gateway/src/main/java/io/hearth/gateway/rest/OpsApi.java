package io.hearth.gateway.rest;

import io.hearth.gateway.metrics.GatewayMetrics;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.Sessions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operations routes: {@code GET /health}, {@code GET /metrics} (Prometheus text) and {@code GET /openapi.yaml} (the
 * API's description). They carry no session data; {@code /health} and {@code /openapi.yaml} are answered without
 * credentials even with authentication on, {@code /metrics} needs them (see {@code Security}).
 */
public final class OpsApi {

    /** A health answer: always "ok" while the gateway serves requests, with its sessions counted by state. */
    record Health(String status, int sessions, Map<String, Integer> sessionsByState, long uptimeSeconds) {}

    public static final String OPENAPI_RESOURCE = "/openapi.yaml";

    private final Sessions sessions;
    private final GatewayMetrics metrics;
    private final RestApi api;
    private final long startedNanos = System.nanoTime();
    private final byte[] openApi;

    public OpsApi(Sessions sessions, GatewayMetrics metrics, RestApi api) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.api = api;
        this.openApi = readOpenApi();
    }

    public void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/metrics", ctx -> ctx.status(200).contentType(GatewayMetrics.CONTENT_TYPE)
                .result(metrics.render(sessions.list().stream().map(Session::state).toList(),
                        sessions.pooledEngines())));
        routes.get("/openapi.yaml", ctx -> ctx.status(200).contentType("application/yaml").result(openApi));
    }

    private void health(Context ctx) {
        Map<String, Integer> byState = new TreeMap<>();
        int total = 0;
        for (Session s : sessions.list()) {
            byState.merge(s.state().wireName(), 1, Integer::sum);
            total++;
        }
        long uptime = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        api.json(ctx, 200, new Health("ok", total, byState, uptime));
    }

    private static byte[] readOpenApi() {
        try (InputStream in = OpsApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the gateway's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
