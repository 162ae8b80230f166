package io.hearth.gateway;

import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's live sessions: creates them (launching their engines), finds them by id or name, and ends them. */
public final class Sessions implements ChannelServer.Registry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    /** Engine output lines kept per session. */
    static final int LOG_CAPACITY = 1000;

    /** How long an engine told to shut down gets before it is terminated. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** Upper bound on a whole stop: grace, then SIGTERM and SIGKILL of the engine and of its descendants. */
    private static final Duration STOP_BOUND = STOP_GRACE.plusSeconds(15);

    private final Launcher launcher;
    private final ChannelAuth auth;
    private final String sparkMaster;
    private final Duration startTimeout;
    private final ConcurrentSkipListMap<Integer, Session> byId = new ConcurrentSkipListMap<>();
    /** Start time-outs and engine-exit notices, one at a time, in order. */
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("hearth-session-timer", true));
    /** Stopping an engine blocks for seconds; it happens here, not on an HTTP or channel thread. */
    private final ExecutorService stopper = Executors.newCachedThreadPool(new NamedThreadFactory("hearth-engine-stop", true));
    private int nextId;

    public Sessions(Launcher launcher, ChannelAuth auth, String sparkMaster, Duration startTimeout) {
        this.launcher = launcher;
        this.auth = auth;
        this.sparkMaster = sparkMaster;
        this.startTimeout = startTimeout;
    }

    /**
     * Registers a session and launches its engine. A launch that fails leaves a dead session with the reason, as Livy
     * does, so the client learns why from the session itself.
     */
    public synchronized Session create(SessionSpec spec) {
        if (spec.name() != null && byId.values().stream().anyMatch(s -> spec.name().equals(s.name()))) {
            throw ApiException.badRequest("Duplicate session name: " + spec.name());
        }
        int id = nextId++;
        SessionSecret secret = new SessionSecret(auth.newSecret());
        Session session = new Session(id, spec, secret, new SessionLog(LOG_CAPACITY), stopper, STOP_GRACE,
                System::currentTimeMillis);
        byId.put(id, session);
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.master", sparkMaster);
        conf.putAll(spec.sparkConf(id));
        try {
            EngineProcess engine = launcher.launch(new Launcher.LaunchSpec(id, secret, conf, spec.driverMemory()),
                    session.log());
            session.engineLaunched(engine);
            LOG.info("Session {} ({}): engine pid {} starting", id, spec.kind().wireName(), engine.pid());
            engine.onExit().thenAcceptAsync(session::engineExited, timer);
            timer.schedule(() -> session.startTimedOut(startTimeout), startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Session {}: could not launch the engine: {}", id, e.getMessage());
            session.launchFailed(e.getMessage());
        }
        return session;
    }

    /** A session by its numeric id or its name, as Livy allows in paths. */
    public Optional<Session> find(String idOrName) {
        if (isNumericId(idOrName)) {
            try {
                return Optional.ofNullable(byId.get(Integer.parseInt(idOrName)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return byId.values().stream().filter(s -> idOrName.equals(s.name())).findFirst();
    }

    /** ASCII digits only: {@link Integer#parseInt} would also read other scripts' digits, making "٣" session 3. */
    static boolean isNumericId(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
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
        if (found.isEmpty() || !byId.remove(found.get().id(), found.get())) {
            return false;
        }
        Session session = found.get();
        LOG.info("Deleting session {}", session.id());
        await(List.of(session.stop()));
        return true;
    }

    @Override
    public Optional<String> secretOf(String sessionId) {
        return find(sessionId).filter(Session::acceptsChannel).map(s -> s.secret().value());
    }

    @Override
    public void attach(String sessionId, Channel channel) {
        Optional<Session> session = find(sessionId);
        if (session.isEmpty() || !session.get().attachChannel(channel)) {
            LOG.warn("Session {} does not expect an engine channel now; closing it", sessionId);
            channel.close();
        }
    }

    /** Stops every engine: all are told to shut down at once, then each is awaited, so the wait is one grace, not N. */
    @Override
    public void close() {
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
