package io.hearth.gateway;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.MessageCodec;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running gateway: the REST server, the engine channel server and the sessions, started and stopped together. */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Statement code arrives in request bodies; a large notebook cell must fit. */
    private static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    private final Javalin http;
    private final ChannelServer channels;
    private final Sessions sessions;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Gateway(Javalin http, ChannelServer channels, Sessions sessions, String host) {
        this.http = http;
        this.channels = channels;
        this.sessions = sessions;
        this.host = host;
    }

    /**
     * Starts everything, or nothing: a part that fails to start stops the parts started before it.
     *
     * @throws IllegalArgumentException for a non-loopback host: without authentication, anyone who can reach the port
     *                                  could run code as this user
     */
    public static Gateway start(GatewayConfig config) throws IOException {
        requireLoopback(config.host());
        if (config.engineJar() != null && !Files.isRegularFile(config.engineJar())) {
            LOG.warn("Engine jar {} does not exist: sessions will fail to start until it does", config.engineJar());
        }
        InetAddress bind = InetAddress.getByName(config.host());
        ServerSocket channelSocket = new ServerSocket(config.channelPort(), 50, bind);
        ChannelAuth auth = new ChannelAuth();
        Launcher launcher = new LocalProcessLauncher(LocalProcessLauncher.currentJava(), config.engineJar(),
                config.python(), config.host(), channelSocket.getLocalPort());
        Sessions sessions = new Sessions(launcher, auth, config.sparkMaster(), config.sessionStartTimeout());
        ChannelServer channels = new ChannelServer(channelSocket, new Handshake(new MessageCodec(), auth), sessions);
        channels.start();
        // Livy writes nulls ("appId": null); clients may rely on the keys being there.
        Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
        RestApi api = new RestApi(sessions, gson, config.resourceLimits());
        Javalin http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(gson)));
            api.register(cfg.routes);
        });
        try {
            http.start(config.host(), config.port());
        } catch (RuntimeException e) {
            channels.close();
            sessions.close();
            throw new IOException("could not listen on " + config.host() + ":" + config.port() + ": " + rootMessage(e), e);
        }
        LOG.info("REST on {}:{}, engine channel on port {}, engines from {}, master {}", config.host(), http.port(),
                channels.port(), config.engineJar(), config.sparkMaster());
        return new Gateway(http, channels, sessions, config.host());
    }

    public int port() {
        return http.port();
    }

    public int channelPort() {
        return channels.port();
    }

    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** Stops taking requests, then stops every engine, then the channel server. Safe to call twice, from any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LOG.info("Gateway stopping");
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("Stopping the HTTP server failed", e);
        }
        sessions.close();
        channels.close();
        LOG.info("Gateway stopped");
        stopped.countDown();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    static void requireLoopback(String host) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress a : addresses) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("refusing to listen on " + host + " (" + a.getHostAddress()
                        + "): the gateway has no authentication yet, so it only listens on a loopback address"
                        + " such as 127.0.0.1, ::1 or localhost");
            }
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
