package io.hearth.gateway.metrics;

import io.hearth.gateway.session.SessionMetrics;
import io.hearth.gateway.session.SessionState;
import io.hearth.gateway.session.StatementState;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's operational figures, rendered in Prometheus' text exposition format 0.0.4: sessions by state,
 * statements, statement and HTTP latencies, engine starts. One instance per gateway, handed to what it counts.
 */
public final class GatewayMetrics implements SessionMetrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final LongAdder statementsSubmitted = new LongAdder();
    private final LongAdder statementsStarted = new LongAdder();
    /** Finished statements by (state, output status). */
    private final ConcurrentMap<String, LongAdder> statementsFinished = new ConcurrentHashMap<>();
    private final Histogram statementSeconds = new Histogram(Histogram.SECONDS_BUCKETS);
    /** HTTP latency by (method, route template), so that ids do not explode the label space. */
    private final ConcurrentMap<String, Histogram> httpSeconds = new ConcurrentHashMap<>();
    private final LongAdder engineLaunches = new LongAdder();
    private final Histogram engineStartSeconds = new Histogram(Histogram.SECONDS_BUCKETS);
    private final LongAdder eventStreamsOpen = new LongAdder();
    private final LongAdder poolHits = new LongAdder();
    private final LongAdder poolMisses = new LongAdder();
    private final Histogram poolRefillSeconds = new Histogram(Histogram.SECONDS_BUCKETS);

    @Override
    public void statementSubmitted() {
        statementsSubmitted.increment();
    }

    @Override
    public void statementStarted() {
        statementsStarted.increment();
    }

    @Override
    public void statementFinished(StatementState state, String status, long ranMillis) {
        String key = labels("state", state.wireName(), "status", status == null ? "none" : status);
        statementsFinished.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (ranMillis >= 0) {
            statementSeconds.observe(ranMillis / 1000.0);
        }
    }

    @Override
    public void engineLaunched() {
        engineLaunches.increment();
    }

    @Override
    public void engineReady(long millis) {
        engineStartSeconds.observe(millis / 1000.0);
    }

    @Override
    public void pooledEngineReady(long millis) {
        poolRefillSeconds.observe(millis / 1000.0);
    }

    @Override
    public void poolHandOver(boolean warm) {
        (warm ? poolHits : poolMisses).increment();
    }

    /** A statement event stream began. */
    public void eventStreamOpened() {
        eventStreamsOpen.increment();
    }

    /** A statement event stream ended. */
    public void eventStreamClosed() {
        eventStreamsOpen.decrement();
    }

    public void httpRequest(String method, String route, double millis) {
        httpSeconds.computeIfAbsent(labels("method", method, "route", route), k -> new Histogram(Histogram.SECONDS_BUCKETS))
                .observe(millis / 1000.0);
    }

    /**
     * The exposition text, with the session gauge taken from {@code sessionStates} (one entry per live session) and the
     * pool's from {@code readyPooled} of its {@code pooled} engines being ready to take now (the others start).
     */
    public String render(Iterable<SessionState> sessionStates, int readyPooled, int pooled) {
        Map<SessionState, Integer> byState = new EnumMap<>(SessionState.class);
        for (SessionState s : SessionState.values()) {
            byState.put(s, 0);
        }
        sessionStates.forEach(s -> byState.merge(s, 1, Integer::sum));
        StringBuilder out = new StringBuilder(4096);
        header(out, "hearth_sessions", "gauge", "Live sessions by Livy state.");
        byState.forEach((state, n) -> out.append("hearth_sessions{state=\"").append(state.wireName()).append("\"} ")
                .append(n).append('\n'));
        header(out, "hearth_statements_submitted_total", "counter", "Statements posted.");
        out.append("hearth_statements_submitted_total ").append(statementsSubmitted.sum()).append('\n');
        header(out, "hearth_statements_started_total", "counter", "Statements the engine began to run.");
        out.append("hearth_statements_started_total ").append(statementsStarted.sum()).append('\n');
        header(out, "hearth_statements_finished_total", "counter",
                "Statements finished, by final state and output status (none: no output, as when cancelled).");
        new TreeMap<>(statementsFinished).forEach((labels, n) ->
                out.append("hearth_statements_finished_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        header(out, "hearth_statement_duration_seconds", "histogram", "Statement run time, engine start to end.");
        statementSeconds.render(out, "hearth_statement_duration_seconds", "");
        header(out, "hearth_engine_launches_total", "counter", "Engine processes launched.");
        out.append("hearth_engine_launches_total ").append(engineLaunches.sum()).append('\n');
        header(out, "hearth_engine_start_duration_seconds", "histogram", "Session creation to engine ready.");
        engineStartSeconds.render(out, "hearth_engine_start_duration_seconds", "");
        header(out, "hearth_pool_engines", "gauge", "Engines in the warm pool now, ready to take or starting.");
        out.append("hearth_pool_engines{state=\"ready\"} ").append(readyPooled).append('\n');
        out.append("hearth_pool_engines{state=\"starting\"} ").append(pooled - readyPooled).append('\n');
        header(out, "hearth_pool_hits_total", "counter", "Sessions that got a pooled engine (warm or warming starts).");
        out.append("hearth_pool_hits_total ").append(poolHits.sum()).append('\n');
        header(out, "hearth_pool_misses_total", "counter", "Sessions that started cold while the pool was on.");
        out.append("hearth_pool_misses_total ").append(poolMisses.sum()).append('\n');
        header(out, "hearth_pool_refill_duration_seconds", "histogram", "Pooled engine launch to ready.");
        poolRefillSeconds.render(out, "hearth_pool_refill_duration_seconds", "");
        header(out, "hearth_event_streams_open", "gauge", "Statement event streams open now.");
        out.append("hearth_event_streams_open ").append(eventStreamsOpen.sum()).append('\n');
        header(out, "hearth_http_request_duration_seconds", "histogram",
                "REST request handling time by method and route (a stream counts until it ends).");
        new TreeMap<>(httpSeconds).forEach((labels, h) -> h.render(out, "hearth_http_request_duration_seconds", labels));
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String labels(String k1, String v1, String k2, String v2) {
        return k1 + "=\"" + escape(v1) + "\"," + k2 + "=\"" + escape(v2) + "\"";
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
