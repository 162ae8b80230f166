package io.hearth.gateway.session;

import io.hearth.gateway.channel.ChannelServer;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.config.Durations;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.IdOrName;
import io.hearth.gateway.launch.EngineProcess;
import io.hearth.gateway.launch.EngineAccounts;
import io.hearth.gateway.launch.Launcher;
import io.hearth.gateway.launch.OsAccount;
import io.hearth.gateway.launch.SessionLog;
import io.hearth.gateway.launch.SparkDefaults;
import io.hearth.gateway.pool.EnginePool;
import io.hearth.gateway.pool.PoolRecord;
import io.hearth.gateway.threads.NamedThreadFactory;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.Handshake;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's sessions: creates them (launching their engines), finds them by id or name, ends them, and after a
 * restart takes back those of the state store, waiting for their engines to reconnect.
 */
public final class Sessions implements ChannelServer.Registry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    /** How long an engine told to shut down gets before it is terminated. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** Upper bound on a whole stop: grace, then SIGTERM and SIGKILL of the engine and of its descendants. */
    private static final Duration STOP_BOUND = STOP_GRACE.plusSeconds(15);

    /** How often idle timeouts, heartbeats and ttls are checked: the precision of those policy. */
    static final Duration EXPIRY_CHECK = Duration.ofSeconds(1);

    /** What pooled engines are launched as: the gateway's defaults, which a request that asks for nothing else equals. */
    private static final SessionSpec POOL_SPEC = SessionSpec.of(Kind.PYSPARK);

    /** How long a hand-over waits for the engine to set a request's runtime settings. */
    private static final Duration APPLY_CONF_TIMEOUT = Duration.ofSeconds(30);

    /** What a client refused by the starting cap is told to wait: a session typically starts in 10-20 s. */
    private static final int STARTING_RETRY_AFTER_SECONDS = 5;

    private final Launcher launcher;
    private final SessionSecrets secrets;
    private final StateStore store;
    private final IntFunction<Path> engineLogs;
    private final EngineAccounts accounts;
    private final SparkDefaults sparkDefaults;
    private final Duration startTimeout;
    private final Duration reconnectGrace;
    private final SessionPolicy policy;
    private final ConcurrentSkipListMap<Integer, Session> byId = new ConcurrentSkipListMap<>();
    /** Start time-outs, engine-exit notices and expiry checks, one at a time, in order. */
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hearth-session-timer", true));
    /** Stopping an engine blocks for seconds; it happens here, not on an HTTP or channel thread. */
    private final ExecutorService stopper = Executors.newCachedThreadPool(new NamedThreadFactory("hearth-engine-stop", true));
    private final SessionMetrics metrics;
    private final SessionServices services;
    /** Warm engines, or null when there is no pool; set once, before requests come. */
    private volatile EnginePool<WarmEngine> pool;
    /**
     * Requests being handed a pooled engine outside this object's lock (an ApplyConf waits for the engine): each counts
     * as a live, starting session for the caps, and its name as taken. Read by the pool's thread without that lock.
     */
    private final List<SessionSpec> handingOver = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param engineLogs     where the log of the session with this id is
     * @param accounts       which OS account each engine runs as
     * @param reconnectGrace how long a recovered session waits for its engine to dial back before it is dead
     */
    public Sessions(Launcher launcher, SessionSecrets secrets, StateStore store, IntFunction<Path> engineLogs,
                    EngineAccounts accounts, SparkDefaults sparkDefaults, Duration startTimeout,
                    Duration reconnectGrace, SessionPolicy policy, SessionMetrics metrics) {
        this.accounts = accounts;
        this.launcher = launcher;
        this.secrets = secrets;
        this.store = store;
        this.engineLogs = engineLogs;
        this.sparkDefaults = sparkDefaults;
        this.startTimeout = startTimeout;
        this.reconnectGrace = reconnectGrace;
        this.policy = policy;
        this.metrics = metrics;
        this.services = new SessionServices(store, new StatementArchive(store, policy.outputCacheBytes()), metrics,
                System::currentTimeMillis, stopper, STOP_GRACE, policy.statementLimits());
        timer.scheduleWithFixedDelay(this::stopExpired, EXPIRY_CHECK.toMillis(), EXPIRY_CHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Takes back every stored session; call before engines can connect. Ended sessions come back as they ended; the
     * others wait, {@code recovering}, for their engine (adopted by pid if it still runs) until the reconnect grace.
     */
    public synchronized void recover() {
        for (StateStore.StoredSession stored : store.loadSessions()) {
            StateStore.SessionRow row = stored.session();
            Session session = newSession(row.id(), row.spec(), row.secretNonce());
            EngineProcess adopted = launcher.adopt(row.enginePid(), row.engineStarted(), session.log()).orElse(null);
            session.restore(stored, adopted);
            byId.put(row.id(), session);
            if (session.state() == SessionState.RECOVERING) {
                if (adopted != null) {
                    adopted.onExit().thenAcceptAsync(session::engineExited, timer);
                }
                timer.schedule(() -> session.timedOut(SessionState.RECOVERING, "the engine did not reconnect within "
                        + Durations.describe(reconnectGrace) + " of the gateway's restart ("
                        + Settings.RECONNECT_GRACE.key() + ")"), reconnectGrace.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            LOG.info("Session {} recovered from the state store: {}{}", row.id(), session.state().wireName(),
                    adopted == null ? "" : ", engine pid " + adopted.pid() + " still running");
        }
    }

    private Session newSession(int id, SessionSpec spec, String nonce) {
        return new Session(id, spec, secrets.derive(id, nonce), secrets.linkKey(id, nonce), nonce,
                new SessionLog(engineLogs.apply(id), SessionLog.LINES_KEPT, policy.logMaxBytes()), services, Expiry.of(spec, policy.idleTimeout()));
    }

    /**
     * Registers a session and gives it a pooled engine or launches its engine. A launch that fails leaves a dead
     * session with the reason, as Livy does, so the client learns why from the session itself. A hand-over that waits
     * for the engine does so outside this object's lock: other requests do not wait behind it.
     */
    public Session create(SessionSpec spec) {
        long postedAt = System.currentTimeMillis();
        OsAccount account;
        Optional<Boolean> changesNothing;
        synchronized (this) {
            // Names are per owner: a name another user chose is not taken, so the answer never tells of their session.
            if (spec.name() != null && (byId.values().stream()
                    .anyMatch(s -> spec.name().equals(s.name()) && Objects.equals(spec.owner(), s.owner()))
                    || handingOver.stream().anyMatch(h -> spec.name().equals(h.name())
                    && Objects.equals(spec.owner(), h.owner())))) {
                throw ApiException.badRequest("Duplicate session name: " + spec.name() + " (you already have a session"
                        + " of that name; delete it or choose another name)");
            }
            checkCaps();
            // Refused before an id is taken: a setting the launcher cannot honour is the client's to fix, not a dead
            // session.
            launcher.checkSupported(sparkDefaults.apply(spec.sparkConf(0)));
            account = accounts.forSession(spec.owner(), spec.proxyUser()).orElse(null);
            changesNothing = poolCanServe(spec);
            if (changesNothing.isEmpty()) {
                return launchCold(spec, account);
            }
            handingOver.add(spec);
        }
        Optional<String> cold;
        Optional<WarmEngine> taken = Optional.empty();
        try {
            taken = pool.take(changesNothing.get());
            cold = taken.isPresent() ? handOver(pool, taken.get(), spec, postedAt)
                    : Optional.of(changesNothing.get() ? "the pool has no engine" : "no pooled engine is ready");
        } catch (InterruptedException e) {
            // Only a stopping gateway interrupts a request: it took no engine, and starts cold as any other.
            Thread.currentThread().interrupt();
            cold = Optional.of("interrupted while the pool launched its engine");
        } catch (RuntimeException e) {
            handingOver.remove(spec);
            throw e;
        }
        synchronized (this) {
            // Its place was kept while it was handed over: the caps were checked with it counted, so it starts cold
            // here without another check.
            handingOver.remove(spec);
            metrics.poolHandOver(cold.isEmpty());
            if (cold.isPresent()) {
                LOG.info("Session request starts cold: {}", cold.get());
                return launchCold(spec, account);
            }
            Session session = taken.orElseThrow().session();
            byId.put(session.id(), session);
            SessionStart start = session.info().start();
            LOG.info("Session {} ({}): a pooled engine, {}", session.id(), spec.kind().wireName(),
                    start.millis() == null ? "still starting" : "idle " + start.millis() + " ms after the request");
            return session;
        }
    }

    /** Under this lock: a new session whose engine is launched for it. */
    private Session launchCold(SessionSpec spec, OsAccount account) {
        makeRoom();
        int id = store.reserveSessionId();
        Session session = newSession(id, spec, secrets.newNonce());
        byId.put(id, session);
        try {
            launch(session, spec, account);
            LOG.info("Session {} ({}): engine pid {} starting", id, spec.kind().wireName(), session.enginePid());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Session {}: could not launch the engine: {}", id, e.getMessage());
            session.fail("could not start the engine: " + e.getMessage());
        }
        return session;
    }

    /** Launches the engine of {@code session} as {@code spec} asks (as {@code account}, or the gateway's when null). */
    private void launch(Session session, SessionSpec spec, OsAccount account) throws IOException {
        launch(session, spec, account, Map.of());
    }

    /** As {@link #launch(Session, SessionSpec, OsAccount)}, with {@code extra} Spark settings over the spec's. */
    private void launch(Session session, SessionSpec spec, OsAccount account, Map<String, String> extra)
            throws IOException {
        int id = session.id();
        Map<String, String> defaulted = new java.util.LinkedHashMap<>(sparkDefaults.apply(spec.sparkConf(id)));
        defaulted.putAll(extra);
        Optional<ApplicationTag> tag = ApplicationTag.forYarn(id, defaulted);
        Map<String, String> conf = tag.map(t -> t.addTo(defaulted)).orElse(defaulted);
        session.log().open();
        EngineProcess engine = launcher.launch(new Launcher.LaunchSpec(id, session.secret(), conf,
                spec.driverMemory(), spec.proxyUser(), account), session.log());
        session.engineLaunched(engine, tag.orElse(null));
        metrics.engineLaunched();
        engine.onExit().thenAcceptAsync(session::engineExited, timer);
        timer.schedule(() -> session.timedOut(SessionState.STARTING, "the engine did not become ready within "
                + Durations.describe(startTimeout) + " (" + Settings.START_TIMEOUT.key() + ")"),
                startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the pool of warm engines, after stopping those a previous gateway left (they are never taken back). With
     * engines that run as their users' accounts there is none: a pooled engine runs as the gateway's account, and an
     * engine never serves another OS account than the one it was started as.
     */
    public void startPool(int size, Duration maxIdle, PoolRecord record) {
        for (PoolRecord.Entry left : record.read()) {
            EngineProcess.adopt(left.pid(), left.startedAt()).ifPresent(p -> {
                LOG.info("Stopping pooled engine pid {} left by the previous gateway", p.pid());
                stopper.execute(() -> {
                    try {
                        p.stop(Duration.ZERO);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            });
        }
        record.write(List.of());
        if (size == 0) {
            return;
        }
        if (accounts.perUser()) {
            LOG.info("No pool of warm engines: engines run as their users' accounts, and a pooled engine would run as"
                    + " the gateway's; sessions start cold ({} is ignored)", Settings.POOL_SIZE.key());
            return;
        }
        EnginePool<WarmEngine> started = new EnginePool<>(size, maxIdle, this::launchPooled, this::roomForPooled,
                record, System::currentTimeMillis);
        pool = started;
        started.start();
        LOG.info("Keeping {} warm engine(s) for new sessions ({}), replaced after {}", size,
                Settings.POOL_SIZE.key(), Durations.describe(maxIdle));
    }

    /** Engines in the pool now, ready or starting. */
    public int pooledEngines() {
        EnginePool<WarmEngine> p = pool;
        return p == null ? 0 : p.count();
    }

    /** Engines in the pool now that a request could take. */
    public int readyPooledEngines() {
        EnginePool<WarmEngine> p = pool;
        return p == null ? 0 : p.readyCount();
    }

    /** One more pooled engine fits: the live sessions and the pool stay under {@code hearth.session.max}. */
    private boolean roomForPooled() {
        long live = byId.values().stream().filter(Session::isLive).count() + handingOver.size();
        return live + pooledEngines() < policy.maxSessions();
    }

    private WarmEngine launchPooled() throws IOException {
        long launchedAt = System.currentTimeMillis();
        Session session = newSession(store.reserveSessionId(), POOL_SPEC, secrets.newNonce());
        session.markPooled();
        launch(session, POOL_SPEC, null, Map.of(EngineEnvironment.POOLED_PROPERTY, "true"));
        LOG.info("Pooled engine {}: pid {} starting", session.id(), session.enginePid());
        return new WarmEngine(session, launchedAt);
    }

    /**
     * Whether a pooled engine may serve {@code spec}: its launch settings are the pool's. The settings it adds or
     * changes are set on the running engine at the hand-over (which sets all or none; any it cannot set at runtime
     * sends the request cold, never to a session that differs from what it asked for). So a request that changes
     * nothing (true) may take an engine still starting, while one that changes settings (false) takes only a ready
     * one: a starting engine could refuse them only once the request is its session. Empty: start it cold.
     */
    private Optional<Boolean> poolCanServe(SessionSpec spec) {
        if (pool == null) {
            return Optional.empty();
        }
        Optional<String> cold = spec.proxyUser() != null
                ? Optional.of("it names a proxy user, which engines are launched with") : launchDifference(spec);
        if (cold.isPresent()) {
            metrics.poolHandOver(false);
            LOG.info("Session request starts cold: {}", cold.get());
            return Optional.empty();
        }
        return Optional.of(runtimeChanges(sparkDefaults.apply(POOL_SPEC.sparkConf(0)),
                sparkDefaults.apply(spec.sparkConf(0))).isEmpty());
    }

    /**
     * Why no pooled engine can serve {@code spec} whatever it is asked at its hand-over: it leaves out or changes what
     * only an engine's launch sets. Empty when one may.
     */
    private Optional<String> launchDifference(SessionSpec spec) {
        Map<String, String> pooled = sparkDefaults.apply(POOL_SPEC.sparkConf(0));
        Map<String, String> wanted = sparkDefaults.apply(spec.sparkConf(0));
        List<String> dropped = pooled.keySet().stream().filter(k -> !wanted.containsKey(k)).sorted().toList();
        if (!dropped.isEmpty()) {
            return Optional.of("it leaves out settings the pooled engines have: " + String.join(", ", dropped));
        }
        List<String> launchOnly = runtimeChanges(pooled, wanted).keySet().stream().filter(Sessions::launchOnly).toList();
        return launchOnly.isEmpty() ? Optional.empty()
                : Optional.of("it sets what only an engine's launch can: " + String.join(", ", launchOnly));
    }

    /** The settings {@code wanted} adds to or changes in {@code pooled}. */
    private static Map<String, String> runtimeChanges(Map<String, String> pooled, Map<String, String> wanted) {
        Map<String, String> changes = new java.util.TreeMap<>();
        wanted.forEach((k, v) -> {
            if (!v.equals(pooled.get(k))) {
                changes.put(k, v);
            }
        });
        return changes;
    }

    /**
     * Makes {@code engine} the session {@code spec} asks for (which {@link #launchDifference} let through); else why
     * not (the engine is back in the pool, or stopped). Outside this object's lock: it may wait for the engine.
     */
    private Optional<String> handOver(EnginePool<WarmEngine> p, WarmEngine engine, SessionSpec spec, long postedAt) {
        Session session = engine.session();
        Map<String, String> changes = runtimeChanges(sparkDefaults.apply(POOL_SPEC.sparkConf(session.id())),
                sparkDefaults.apply(spec.sparkConf(session.id())));
        if (!changes.isEmpty()) {
            Optional<ChannelMessage.ConfApplied> reply;
            try {
                reply = session.applyConf(changes, APPLY_CONF_TIMEOUT);
            } catch (IOException e) {
                reply = Optional.empty();
            }
            if (reply.isEmpty()) {
                // What it set is unknown: it serves nobody.
                engine.discard();
                p.handedOver(engine).now();
                return Optional.of("the pooled engine did not confirm its settings");
            }
            if (reply.get().refused() != null) {
                p.giveBack(engine);
                // Key names only, never values: they may be credentials.
                return Optional.of(reply.get().refused());
            }
        }
        EnginePool<WarmEngine>.Refill refill = p.handedOver(engine);
        boolean handed = session.handOver(spec, Expiry.of(spec, policy.idleTimeout()), postedAt, refill);
        if (!handed) {
            refill.now();
            engine.discard();
            return Optional.of("the pooled engine died at its hand-over");
        }
        if (!changes.isEmpty()) {
            LOG.info("Session {}: set on the pooled engine at its hand-over: {}", session.id(),
                    String.join(", ", changes.keySet()));
        }
        return Optional.empty();
    }

    /**
     * Spark settings only an engine's launch sets, which no running engine is asked about: where it runs, its
     * resources, its code and files, its application. Others are left to the engine's {@code isModifiable}.
     */
    private static boolean launchOnly(String key) {
        return key.startsWith("spark.driver.") || key.startsWith("spark.executor.") || key.startsWith("spark.jars")
                || key.startsWith("spark.submit.") || key.startsWith("spark.yarn.") || key.startsWith("spark.kubernetes.")
                || List.of("spark.master", "spark.app.name", "spark.files", "spark.archives", "spark.cores.max")
                .contains(key);
    }

    /** A pooled engine never costs a session starting cold its room: one gives way when sessions and pool are full. */
    private void makeRoom() {
        EnginePool<WarmEngine> p = pool;
        long live = byId.values().stream().filter(Session::isLive).count() + handingOver.size();
        if (p != null && live + p.count() >= policy.maxSessions()) {
            p.evictOne();
        }
    }

    /** Refuses (429) a session over {@code hearth.session.max} or {@code hearth.session.max-starting}. */
    private void checkCaps() {
        long live = byId.values().stream().filter(Session::isLive).count() + handingOver.size();
        if (live >= policy.maxSessions()) {
            throw ApiException.tooManyRequests("Too many sessions: " + live + " are live and the limit is "
                    + policy.maxSessions() + " (hearth.session.max); delete a session, or ask the operator to raise"
                    + " hearth.session.max", 0);
        }

        long starting = byId.values().stream()
                .filter(s -> s.isLive() && s.state() == SessionState.STARTING).count() + handingOver.size();
        if (starting >= policy.maxStarting()) {
            throw ApiException.tooManyRequests("Too many sessions starting: " + starting + " are starting and the limit"
                    + " is " + policy.maxStarting() + " (hearth.session.max-starting); retry in a few seconds, or ask"
                    + " the operator to raise hearth.session.max-starting", STARTING_RETRY_AFTER_SECONDS);
        }
    }

    /** Stops the sessions whose ttl, heartbeat or idle timeout has passed; they stay listed as killed. */
    private void stopExpired() {
        try {
            for (Session s : byId.values()) {
                s.stopIfExpired();
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log the bug and keep checking.
            LOG.error("Checking session timeouts failed", e);
        }
    }

    public SessionPolicy policy() {
        return policy;
    }

    /** A session by its numeric id or its name, as Livy allows in paths; with several of one name, the first. */
    public Optional<Session> find(String idOrName) {
        return IdOrName.find(idOrName, byId, Session::name);
    }

    /**
     * A session by its numeric id, or by its name among {@code user}'s own sessions: names are per owner, so two users
     * may both have "etl", and a name finds only the caller's. A caller who may see every session ({@code anyOwner}: a
     * superuser, or anyone with authentication off) finds another's by name when they have none of that name.
     */
    public Optional<Session> find(String idOrName, String user, boolean anyOwner) {
        if (IdOrName.isNumericId(idOrName)) {
            return find(idOrName);
        }
        List<Session> named = byId.values().stream().filter(s -> idOrName.equals(s.name())).toList();
        Optional<Session> own = named.stream().filter(s -> Objects.equals(user, s.owner())).findFirst();
        return own.isPresent() || !anyOwner ? own : named.stream().findFirst();
    }

    public List<Session> list() {
        return new ArrayList<>(byId.values());
    }

    /**
     * Removes the session and stops its engine, returning once the engine process tree is gone (or after a bound,
     * logged). False if there is no such session, which makes a second delete a 404.
     */
    public boolean delete(String idOrName) {
        Optional<Session> found = find(idOrName);
        return found.isPresent() && delete(found.get());
    }

    /** As {@link #delete(String)}, for a session already found. */
    public boolean delete(Session session) {
        if (!byId.remove(session.id(), session)) {
            return false;
        }
        LOG.info("Deleting session {}", session.id());
        await(List.of(session.stop()));
        store.deleteSession(session.id());
        services.archive().forget(session.id());
        return true;
    }

    @Override
    public Optional<Handshake.Expected> expected(String sessionId) {
        return find(sessionId).or(() -> pooled(sessionId)).flatMap(Session::engineProof);
    }

    /** The pooled engine's session launched under this id, while it is in the pool. */
    private Optional<Session> pooled(String sessionId) {
        EnginePool<WarmEngine> p = pool;
        if (p == null || !IdOrName.isNumericId(sessionId)) {
            return Optional.empty();
        }
        try {
            return p.find(Integer.parseInt(sessionId)).map(WarmEngine::session);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> attach(Handshake.Claim claim) {
        Optional<Session> session = find(claim.sessionId()).or(() -> pooled(claim.sessionId()));
        if (session.isEmpty()) {
            String gone = "the session was deleted meanwhile";
            claim.refuse(gone);
            return Optional.of(gone);
        }
        return session.get().attachChannel(claim);
    }

    /** Stops every engine: all are told to shut down at once, then each is awaited, so the wait is one grace, not N. */
    @Override
    public void close() {
        EnginePool<WarmEngine> p = pool;
        if (p != null) {
            p.close();
        }
        List<Session> all = list();
        byId.clear();
        if (!all.isEmpty()) {
            LOG.info("Stopping {} session(s)", all.size());
        }
        await(all.stream().map(Session::stop).toList());
        timer.shutdownNow();
        stopper.shutdown();
        try {
            stopper.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets go of every session without stopping its engine, for a gateway that failed to start after recovering them:
     * the engines keep dialling, and the next start that succeeds takes them back.
     */
    public void closeKeepingEngines() {
        byId.clear();
        timer.shutdownNow();
        stopper.shutdown();
    }

    private static void await(List<CompletableFuture<Void>> stops) {
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.error("Some engines were still stopping after {} s", STOP_BOUND.toSeconds());
        } catch (ExecutionException e) {
            LOG.error("Stopping an engine failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
