package io.hearth.gateway.rest;

import com.google.gson.Gson;
import io.hearth.gateway.auth.Caller;
import io.hearth.gateway.auth.Security;
import io.hearth.gateway.batch.Batch;
import io.hearth.gateway.batch.BatchSpec;
import io.hearth.gateway.batch.Batches;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.launch.LocalPaths;
import io.hearth.gateway.launch.SessionLog;
import io.hearth.gateway.rest.LivyViews.Message;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** Livy's batch REST API over {@link Batches}: {@code /batches} and its {@code state}, {@code log} and delete. */
public final class BatchRoutes {

    /** Livy's default page sizes. */
    private static final int DEFAULT_BATCH_PAGE = 100;
    private static final int DEFAULT_LOG_PAGE = 100;

    /** Livy's batch. */
    record BatchView(int id, String name, String owner, String proxyUser, String state, String appId,
                     LivyViews.AppInfo appInfo, List<String> log) {}

    /** {@code GET /batches}: Livy calls the list {@code sessions} here too. */
    record BatchList(int from, int total, List<BatchView> sessions) {}

    private final Batches batches;
    private final Gson gson;
    private final boolean allowMasterOverride;
    private final LocalPaths localPaths;

    public BatchRoutes(Batches batches, Gson gson, boolean allowMasterOverride, LocalPaths localPaths) {
        this.localPaths = localPaths;
        this.batches = batches;
        this.gson = gson;
        this.allowMasterOverride = allowMasterOverride;
    }

    public void register(RoutesConfig routes) {
        routes.get("/batches", this::list);
        routes.post("/batches", this::create);
        routes.get("/batches/{batch}", ctx -> json(ctx, 200, view(batch(ctx))));
        routes.get("/batches/{batch}/state", ctx -> {
            Batch.Info info = batch(ctx).info();
            json(ctx, 200, new LivyViews.SessionStateView(info.id(), info.state().wireName()));
        });
        routes.get("/batches/{batch}/log", this::log);
        routes.delete("/batches/{batch}", this::delete);
    }

    private void list(Context ctx) {
        Caller caller = Security.caller(ctx);
        List<Batch> all = batches.list().stream().filter(b -> caller.mayAccess(b.info().spec().owner())).toList();
        int from = Math.max(0, RestApi.intParam(ctx, "from", 0));
        int size = RestApi.intParam(ctx, "size", DEFAULT_BATCH_PAGE);
        List<BatchView> page = all.stream().skip(from).limit(Math.max(0, size)).map(BatchRoutes::view).toList();
        json(ctx, 200, new BatchList(from, all.size(), page));
    }

    private void create(Context ctx) {
        Caller caller = Security.caller(ctx);
        BatchSpec spec = LivyRequests.createBatch(ctx.body(), allowMasterOverride);
        if (spec.proxyUser() != null && !caller.mayActAs(spec.proxyUser())) {
            throw new ApiException(403, "User '" + caller.user() + "' not allowed to impersonate '" + spec.proxyUser()
                    + "': only superusers may set a proxyUser other than themselves");
        }
        localPaths.checkUrl("file", spec.file());
        localPaths.check(spec.sparkConf(0));
        Batch b = batches.create(spec.withOwner(caller.user()));
        ctx.header("Location", "/batches/" + b.id());
        json(ctx, 201, view(b));
    }

    private void log(Context ctx) {
        Batch b = batch(ctx);
        Integer from = ctx.queryParam("from") == null ? null : RestApi.intParam(ctx, "from", 0);
        SessionLog.Page page = b.log().page(from, RestApi.intParam(ctx, "size", DEFAULT_LOG_PAGE));
        json(ctx, 200, new LivyViews.LogView(b.id(), page.from(), page.total(), page.lines()));
    }

    private void delete(Context ctx) throws InterruptedException {
        Batch b = batch(ctx); // 404 or 403 before anything is killed
        String id = ctx.pathParam("batch");
        if (batches.delete(b) == Batches.Deletion.NOT_FOUND) {
            throw ApiException.noBatch(id);
        }
        json(ctx, 200, new Message("deleted"));
    }

    private Batch batch(Context ctx) {
        String id = ctx.pathParam("batch");
        Caller caller = Security.caller(ctx);
        Batch b = batches.find(id, caller.user(), caller.superuser()).orElseThrow(() -> ApiException.noBatch(id));
        if (!caller.mayAccess(b.info().spec().owner())) {
            throw new ApiException(403, "User '" + caller.user() + "' is not allowed to access batch " + id
                    + ": only its owner and superusers are");
        }
        return b;
    }

    private static BatchView view(Batch b) {
        Batch.Info info = b.info();
        return new BatchView(info.id(), info.spec().name(), info.spec().owner(), info.spec().proxyUser(), info.state().wireName(),
                info.appId(), new LivyViews.AppInfo(null, info.sparkUiUrl()), b.log().tail(LivyViews.SESSION_LOG_LINES));
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(gson.toJson(body));
    }
}
