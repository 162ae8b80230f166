package io.hearth.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.hearth.gateway.auth.Authentication;
import io.hearth.gateway.auth.CsrfCheck;
import io.hearth.gateway.auth.ListenPolicy;
import io.hearth.gateway.auth.Security;
import io.hearth.gateway.auth.SessionAccess;
import io.hearth.gateway.batch.Batches;
import io.hearth.gateway.channel.ChannelCertificate;
import io.hearth.gateway.channel.ChannelServer;
import io.hearth.gateway.channel.SessionSecrets;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.launch.EngineAccounts;
import io.hearth.gateway.launch.EngineVariables;
import io.hearth.gateway.launch.HadoopClient;
import io.hearth.gateway.launch.Launcher;
import io.hearth.gateway.launch.LauncherChoice;
import io.hearth.gateway.launch.LocalPaths;
import io.hearth.gateway.launch.LocalProcessLauncher;
import io.hearth.gateway.launch.OsAccount;
import io.hearth.gateway.launch.RunAs;
import io.hearth.gateway.launch.SparkDefaults;
import io.hearth.gateway.launch.SparkHome;
import io.hearth.gateway.launch.EngineLibraryArchive;
import io.hearth.gateway.launch.SparkSubmitLauncher;
import io.hearth.gateway.metrics.GatewayMetrics;
import io.hearth.gateway.pool.PoolRecord;
import io.hearth.gateway.rest.BatchRoutes;
import io.hearth.gateway.rest.BuildInfo;
import io.hearth.gateway.rest.JsonErrorHandler;
import io.hearth.gateway.rest.OpsApi;
import io.hearth.gateway.rest.RestApi;
import io.hearth.gateway.rest.StatementEventStream;
import io.hearth.gateway.rest.StatementLongPoll;
import io.hearth.gateway.session.ResourceLimits;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.SessionPolicy;
import io.hearth.gateway.session.StatementLimits;
import io.hearth.gateway.session.Sessions;
import io.hearth.gateway.session.StateStore;
import io.hearth.gateway.store.ConfCipher;
import io.hearth.gateway.store.SqliteStateStore;
import io.hearth.gateway.store.StateDir;
import io.hearth.gateway.tls.HttpsConnector;
import io.hearth.gateway.yarn.ResourceManagerClient;
import io.hearth.gateway.yarn.YarnApplicationWatch;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.ChannelTransport;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.MessageCodec;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: the REST server, the engine channel server and the sessions, started and stopped together. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Statement code arrives in request bodies; a large notebook cell must fit. */
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    /** How often the ResourceManager is asked about sessions' YARN applications: a kill shows within seconds. */
    private static final Duration YARN_WATCH_INTERVAL = Duration.ofSeconds(2);

    private final Javalin http;
    private final ChannelServer channels;
    private final Sessions sessions;
    private final SqliteStateStore store;
    private final StateDir stateDir;
    private final Batches batches;
    private final EngineLibraryArchive libraryArchive;
    private final String host;
    private final StatementEventStream eventStreams;
    private final StatementLongPoll longPoll;
    private final List<String> routes;
    private final Optional<YarnApplicationWatch> yarnWatch;
    /** Null for plain HTTP. */
    private final HttpsConnector https;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Gateway(Javalin http, ChannelServer channels, Sessions sessions, Batches batches, SqliteStateStore store,
                    StateDir stateDir, String host, StatementEventStream eventStreams, StatementLongPoll longPoll,
                    List<String> routes, Optional<YarnApplicationWatch> yarnWatch, HttpsConnector https,
                    EngineLibraryArchive libraryArchive) {
        this.libraryArchive = libraryArchive;
        this.yarnWatch = yarnWatch;
        this.https = https;
        this.http = http;
        this.channels = channels;
        this.sessions = sessions;
        this.batches = batches;
        this.store = store;
        this.stateDir = stateDir;
        this.host = host;
        this.eventStreams = eventStreams;
        this.longPoll = longPoll;
        this.routes = routes;
    }

    /**
     * Starts everything, or nothing: a part that fails to start stops the parts started before it.
     *
     * @throws IllegalArgumentException for a non-loopback host without authentication (see {@link ListenPolicy}), or
     *                                  an unreadable tokens or users file
     */
    public static Gateway start(GatewayConfig config) throws IOException {
        return start(config, UnaryOperator.identity());
    }

    /**
     * {@link #start(GatewayConfig)}, with local engines dialling {@code localDial} of where the channel listens
     * instead: for tests that put a relay between engines and the gateway.
     */
    static Gateway start(GatewayConfig config, UnaryOperator<InetSocketAddress> localDial) throws IOException {
        String host = config.get(Settings.HOST);
        Path engineJar = config.get(Settings.ENGINE_JAR);
        String python = config.get(Settings.PYTHON);
        String master = config.get(Settings.SPARK_MASTER);
        Duration reconnectGrace = config.get(Settings.RECONNECT_GRACE);
        ListenPolicy.check(host, config.auth(), config.tls());
        if (ListenPolicy.exposedWithoutAuthentication(host, config.auth())) {
            LOG.warn("Listening on {} without authentication ({}=true): anyone who reaches it can run code as this user",
                    host, Settings.ALLOW_UNAUTHENTICATED.key());
        }
        if (ListenPolicy.exposedInClear(host, config.auth(), config.tls())) {
            LOG.warn("Listening on {} with plain HTTP ({}=true): credentials, code and results cross the network in"
                    + " clear unless something else encrypts them", host, Settings.ALLOW_PLAIN_HTTP.key());
        }
        if (engineJar != null && !Files.isRegularFile(engineJar)) {
            LOG.warn("Engine jar {} does not exist: sessions will fail to start until it does", engineJar);
        }
        InetAddress bind = InetAddress.getByName(host);
        // Loaded before anything listens: a bad tokens or users file stops the start with nothing to undo.
        Authentication authentication = Authentication.from(config.auth());
        HttpsConnector https = HttpsConnector.from(config.tls(), java.time.Clock.systemUTC());
        EngineAccounts accounts = engineAccounts(config);
        Path workRoot = accounts.perUser() ? RunAs.openWorkRoot(workRoot(config)) : null;
        // Local engines dial a wildcard-bound channel over loopback: 0.0.0.0 is where to listen, not where to dial.
        String dialHost = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress() : host;
        Optional<Path> sparkHome = SparkHome.resolve(config.get(Settings.SPARK_HOME), python);
        SparkDefaults sparkDefaults = sparkDefaults(config, sparkHome, dialHost, accounts.perUser());
        StateDir stateDir = StateDir.open(config.get(Settings.STATE_DIR));
        SqliteStateStore store;
        ServerSocket channelSocket;
        SessionSecrets secrets;
        ChannelCertificate channelCertificate;
        try {
            secrets = SessionSecrets.load(stateDir.masterKey(), new SecureRandom());
            channelCertificate = ChannelCertificate.loadOrCreate(stateDir.channelKey(), stateDir.channelCertificate(),
                    new SecureRandom());
            store = SqliteStateStore.open(stateDir.database(),
                    new ConfCipher(secrets.stateStoreKey(), new SecureRandom()));
            try {
                channelSocket = bindChannel(config.get(Settings.CHANNEL_PORT), store, bind);
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            stateDir.close();
            throw e;
        }
        ChannelAuth auth = new ChannelAuth();
        int channelPort = channelSocket.getLocalPort();
        List<String> engineEnv = config.get(Settings.ENGINE_ENV) == null ? List.of() : config.get(Settings.ENGINE_ENV);
        EngineVariables variables = accounts.perUser() ? new EngineVariables(System.getenv(), engineEnv)
                : EngineVariables.sameAccount(System.getenv(), engineEnv);
        ChannelEncryption encryption = ChannelEncryption.parse(config.get(Settings.CHANNEL_ENCRYPTION));
        ChannelTls engineTls = new ChannelTls(encryption, channelCertificate.fingerprint());
        InetSocketAddress local = localDial.apply(InetSocketAddress.createUnresolved(dialHost, channelPort));
        Launcher localLauncher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(), engineJar, python,
                local.getHostString(), local.getPort(), reconnectGrace, engineTls, variables);
        EngineLibraryArchive libraryArchive = EngineLibraryArchive.inTemp();
        SparkSubmitLauncher sparkSubmit = new SparkSubmitLauncher(sparkHome, engineJar, python, dialHost,
                clusterDialHost(config, bind, host), channelPort, config.get(Settings.DEPLOY_MODE), reconnectGrace,
                engineTls, new HadoopClient(config.get(Settings.HADOOP_CONF_DIR), config.get(Settings.YARN_JARS)),
                config.get(Settings.SPARK_CONF_DIR), variables, libraryArchive);
        Launcher launcher = new LauncherChoice(config.get(Settings.LAUNCHER), localLauncher, sparkSubmit);
        GatewayMetrics metrics = new GatewayMetrics();
        SessionPolicy policy = new SessionPolicy(config.get(Settings.MAX_SESSIONS), config.get(Settings.MAX_STARTING),
                config.get(Settings.IDLE_TIMEOUT), config.get(Settings.ALLOW_MASTER_OVERRIDE),
                config.get(Settings.SESSION_LOG_MAX_SIZE), config.get(Settings.OUTPUT_CACHE_SIZE),
                new StatementLimits(config.get(Settings.MAX_WAITING_STATEMENTS), config.get(Settings.MAX_WAITING_CODE)));
        Sessions sessions = new Sessions(launcher, secrets, store, engineLogs(accounts, workRoot, stateDir), accounts,
                sparkDefaults, config.get(Settings.START_TIMEOUT), reconnectGrace, policy, metrics);
        Batches batches = new Batches(sparkSubmit, sparkDefaults, config.get(Settings.MAX_SESSIONS), stateDir.batchLogs(),
                accounts, workRoot, store);
        ChannelServer channels = new ChannelServer(channelSocket,
                new Handshake(new MessageCodec(), auth, ChannelTransport.gateway(encryption,
                        channelCertificate.serverContext()), config.get(Settings.MAX_STATEMENT_OUTPUT)), sessions);
        // Stored sessions first: an engine that reconnects before its session is back would be refused, and stop.
        sessions.recover();
        batches.recover();
        channels.start();
        // Livy writes nulls ("appId": null); clients may rely on the keys being there.
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        LocalPaths localPaths = new LocalPaths(config.get(Settings.ALLOWED_LOCAL_DIRS) == null ? List.of()
                : config.get(Settings.ALLOWED_LOCAL_DIRS));
        RestApi api = new RestApi(sessions, gson, new ResourceLimits(config.get(Settings.MAX_MEMORY),
                config.get(Settings.MAX_CORES), config.get(Settings.MAX_EXECUTORS)), localPaths, BuildInfo.load());
        Security security = new Security(authentication, new CsrfCheck(config.auth().csrfEnabled()),
                new SessionAccess((caller, id) -> sessions.find(id, caller.user(), caller.superuser())
                        .map(s -> s.info().spec())));
        StatementEventStream eventStreams = new StatementEventStream(api, gson, StatementEventStream.KEEP_ALIVE,
                config.get(Settings.MAX_STREAMS_PER_USER), metrics);
        StatementLongPoll longPoll = new StatementLongPoll(api);
        List<String> routes = new CopyOnWriteArrayList<>();
        Javalin http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(gson)));
            if (https != null) {
                cfg.jetty.addConnector((server, httpConfig) -> https.connector(server, httpConfig, host,
                        config.get(Settings.PORT)));
            }
            cfg.events.handlerAdded(h -> {
                if (h.getHttpMethod().isHttpMethod()) {
                    routes.add(h.getHttpMethod().name() + " " + h.getPath());
                }
            });
            cfg.requestLogger.http((ctx, millis) -> metrics.httpRequest(ctx.method().name(), routeOf(ctx), millis));
            // The password checks' threads serve requests only: they stop with the HTTP server.
            cfg.events.serverStopped(authentication::close);
            security.register(cfg.routes);
            api.register(cfg.routes);
            eventStreams.register(cfg.routes);
            longPoll.register(cfg.routes);
            new BatchRoutes(batches, gson, config.get(Settings.ALLOW_MASTER_OVERRIDE), localPaths).register(cfg.routes);
            new OpsApi(sessions, metrics, api).register(cfg.routes);
        });
        try {
            http.start(host, config.get(Settings.PORT));
        } catch (RuntimeException e) {
            authentication.close();
            if (https != null) {
                https.close();
            }
            eventStreams.close();
            longPoll.close();
            channels.close();
            // Engines recovered from before a restart live on, for a start that succeeds; there are no others yet.
            sessions.closeKeepingEngines();
            batches.closeKeepingDrivers();
            store.close();
            stateDir.close();
            throw new IOException("could not listen on " + host + ":" + config.get(Settings.PORT) + ": "
                    + rootMessage(e), e);
        }
        if (https != null) {
            https.watch();
        }
        // Filled in the background once the gateway answers: neither /health nor a first request waits for it.
        sessions.startPool(config.poolSize(), config.get(Settings.POOL_MAX_IDLE),
                new PoolRecord(stateDir.root().resolve("pool-engines")));
        LOG.info("REST on {}, engine channel on port {} (TLS {}), engines from {}, master {}, state in {}",
                baseUrl(https != null, host, http.port()), channels.port(), encryption.wireName(), engineJar, master,
                stateDir.root());
        Optional<YarnApplicationWatch> yarnWatch = Optional.empty();
        Path hadoopConf = config.get(Settings.HADOOP_CONF_DIR);
        if (hadoopConf != null) {
            // Sessions on YARN: their applications' state, links and orphans, from the ResourceManager.
            try {
                yarnWatch = Optional.of(new YarnApplicationWatch(sessions, ResourceManagerClient.of(hadoopConf),
                        YARN_WATCH_INTERVAL));
            } catch (IOException e) {
                LOG.warn("Not following YARN applications: {}", e.getMessage());
            }
        }
        return new Gateway(http, channels, sessions, batches, store, stateDir, host, eventStreams, longPoll,
                List.copyOf(routes), yarnWatch, https, libraryArchive);
    }

    /**
     * Which OS account engines run as: with authentication on, their users' (which takes a root gateway), unless the
     * operator opts into the gateway's own for all; without authentication, the gateway's, as always.
     */
    private static EngineAccounts engineAccounts(GatewayConfig config) throws IOException {
        if (!config.auth().authenticates() || config.get(Settings.SHARED_OS_USER)) {
            return EngineAccounts.gatewayOwn();
        }
        if (OsAccount.currentUid() != 0) {
            throw new IllegalArgumentException("With authentication on, engines run as their users' OS accounts, which"
                    + " the gateway can do only as root (it starts them through setpriv); start it as root, or set "
                    + Settings.SHARED_OS_USER.key() + "=true to run every engine as the gateway's own account (users'"
                    + " code then is not kept apart)");
        }
        return EngineAccounts.perUser(config.get(Settings.ENGINE_OS_USER_MAP), OsAccount::lookup);
    }

    /** {@code hearth.engine.work-dir}, else one in the temp dir of this gateway's user and state dir. */
    private static Path workRoot(GatewayConfig config) throws IOException {
        Path configured = config.get(Settings.ENGINE_WORK_DIR);
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        String state = config.get(Settings.STATE_DIR).toAbsolutePath().normalize().toString();
        String hash = String.format("%08x", state.hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "hearth-engines-" + OsAccount.currentUid() + "-" + hash);
    }

    /** Where each session's engine log is: in the state dir, or in the engine's own directory when it has an account. */
    private static java.util.function.IntFunction<Path> engineLogs(EngineAccounts accounts, Path workRoot,
                                                                   StateDir stateDir) {
        return accounts.perUser() ? id -> workRoot.resolve(Integer.toString(id)).resolve("engine.log")
                : stateDir::engineLog;
    }

    /**
     * The operator's Spark defaults, read before anything starts: an unreadable {@code spark-defaults.conf} stops the
     * start. Packages resolved for one session serve the next: one Ivy cache per gateway, in its state directory, not
     * in the home of whoever runs the engines; engines that run as their users' accounts use their own homes'.
     */
    private static SparkDefaults sparkDefaults(GatewayConfig config, Optional<Path> sparkHome, String dialHost,
                                               boolean perUserAccounts) throws IOException {
        Path confDir = config.get(Settings.SPARK_CONF_DIR);
        if (confDir == null && sparkHome.isPresent()) {
            confDir = sparkHome.get().resolve("conf");
        }
        SparkDefaults defaults = SparkDefaults.load(config.get(Settings.SPARK_MASTER), config.get(Settings.DEPLOY_MODE),
                // Engines that run as their users' accounts cannot write in the state dir, nor should they share a
                // cache another user could have filled: each resolves into its own home (Spark's default).
                dialHost, perUserAccounts ? null : config.get(Settings.STATE_DIR).toAbsolutePath().resolve("ivy"), confDir,
                config.sparkDefaults(), perUserAccounts);
        // Key names only: values may be credentials.
        LOG.info("Spark defaults for sessions and batches: {} from {}; from the config file: {}",
                defaults.defaultsFile().size(), confDir == null ? "no spark-defaults.conf"
                        : confDir.resolve("spark-defaults.conf"),
                defaults.gatewayDefaults().isEmpty() ? "none" : String.join(", ", defaults.gatewayDefaults().keySet()));
        return defaults;
    }

    /**
     * The channel port: the configured one, else the one recorded by the last start, so that engines still running
     * from before a restart find the gateway where they left it. If that port has been taken meanwhile, any free one
     * (those engines then cannot come back, and their sessions end after the reconnect grace).
     */
    private static ServerSocket bindChannel(int configured, StateStore store, InetAddress bind) throws IOException {
        int recorded = store.channelPort().orElse(0);
        int wanted = configured != 0 ? configured : recorded;
        ServerSocket socket;
        try {
            socket = new ServerSocket(wanted, 50, bind);
        } catch (java.net.BindException e) {
            if (configured != 0 || wanted == 0) {
                throw e;
            }
            LOG.warn("The engine channel port {} of the last start is taken; engines from before the restart cannot"
                    + " reconnect", wanted);
            socket = new ServerSocket(0, 50, bind);
        }
        if (socket.getLocalPort() != recorded) {
            store.saveChannelPort(socket.getLocalPort());
        }
        return socket;
    }

    /** Every route the REST server registered, as {@code "GET /sessions/{session}"}. */
    public List<String> routes() {
        return routes;
    }

    /** The route template that answered, so that metrics are per route, not per session id. */
    private static String routeOf(io.javalin.http.Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    public int port() {
        return http.port();
    }

    public int channelPort() {
        return channels.port();
    }

    /** {@code https://host:port} when TLS is on, else {@code http://host:port}. */
    public String baseUrl() {
        return baseUrl(https != null, host, port());
    }

    private static String baseUrl(boolean tls, String host, int port) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + h + ":" + port;
    }

    /** Stops taking requests, then stops every engine, then the channel server. Safe to call twice, from any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Gateway stopping");
        // Open event streams end and waiting long-polls are answered first, so that the HTTP server's stop does not
        // wait on them.
        eventStreams.close();
        longPoll.close();
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
        yarnWatch.ifPresent(YarnApplicationWatch::close);
        if (https != null) {
            https.close();
        }
        List<Session> stopping = sessions.list();
        sessions.close();
        // Their engines are gone: an application that still waits for YARN's resources has none to end it.
        yarnWatch.ifPresent(w -> w.killWaiting(stopping));
        batches.close();
        libraryArchive.close();
        channels.close();
        store.close();
        stateDir.close();
        LOG.info("Gateway stopped");
        stopped.countDown();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * Where a driver on a cluster node dials the channel: the operator's {@code hearth.channel.advertised-host}, else the
     * listen address, else (listening on a wildcard) this host's name as the network knows it.
     */
    private static String clusterDialHost(GatewayConfig config, InetAddress bind, String host) throws IOException {
        String advertised = config.get(Settings.CHANNEL_ADVERTISED_HOST);
        if (advertised != null && !advertised.isBlank()) {
            return advertised.trim();
        }
        return bind.isAnyLocalAddress() ? InetAddress.getLocalHost().getCanonicalHostName() : host;
    }
}
