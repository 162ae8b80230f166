package io.hearth.gateway;

import static io.hearth.gateway.GatewayBenchmark.ms;
import static io.hearth.gateway.GatewayBenchmark.pct;
import static io.hearth.gateway.GatewayBenchmark.sorted;

import com.google.gson.JsonObject;
import io.hearth.gateway.channel.ChannelCertificate;
import io.hearth.gateway.config.Settings;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelEncryption;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.ChannelTls;
import io.hearth.protocol.ChannelTransport;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The engine channel's cost with and without TLS (not a test: skipped unless asked for; it fails only on a wrong
 * result). Two real gateways on loopback, one plain ({@code hearth.channel.encryption=off-host}) and one TLS
 * ({@code always}), one real session each, measured in the same run and interleaved (the order swapped every round),
 * so that load from other work on the machine falls on both alike: a trivial statement's round trip (POST to the
 * long-poll's answer) and a large printed output's time on the channel (the statement's own started to completed, which
 * ends when its last output message has crossed the channel); then the channel alone, without Spark, Python or HTTP.
 * Run: {@code bin/hearth bench channel}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class ChannelBenchmark {

    private static final int WARMUP = 20;
    private static final int RUNS = Integer.getInteger("hearth.bench.runs", 200);
    private static final int LARGE_RUNS = Integer.getInteger("hearth.bench.large-runs", 6);
    private static final int LARGE_MIB = Integer.getInteger("hearth.bench.large-mib", 50);
    private static final String SESSION_BODY = "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}";
    private static final Duration WAIT = Duration.ofMinutes(5);

    /** One side of the comparison: a gateway with its session. */
    private record Side(String name, Gateway gateway, LivyClient livy, int session) {}

    @Test
    void statementRoundTripAndLargeOutputPlainAgainstTls() throws Exception {
        try (Gateway plain = Gateway.start(TestEngine.settings().with(Settings.CHANNEL_ENCRYPTION, "off-host").build());
             Gateway tls = Gateway.start(TestEngine.settings().with(Settings.CHANNEL_ENCRYPTION, "always").build())) {
            List<Side> sides = List.of(side("plain TCP", plain), side("TLS 1.3", tls));
            List<List<Double>> trips = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<Double>> engine = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < WARMUP + RUNS; i++) {
                for (int k = 0; k < 2; k++) {
                    int s = (i + k) % 2;
                    long t0 = System.nanoTime();
                    JsonObject st = run(sides.get(s), "1+1");
                    double micros = (System.nanoTime() - t0) / 1000.0;
                    check(st, "2");
                    if (i >= WARMUP) {
                        trips.get(s).add(micros);
                        engine.get(s).add(ownMillis(st) * 1000.0);
                    }
                }
            }
            String big = "import sys\n_ = sys.stdout.write('y' * (" + LARGE_MIB + " * 1024 * 1024))";
            List<List<Double>> large = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < LARGE_RUNS + 1; i++) {
                for (int k = 0; k < 2; k++) {
                    int s = (i + k) % 2;
                    JsonObject st = run(sides.get(s), big);
                    String text = st.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
                    if (text.length() != LARGE_MIB * 1024 * 1024) {
                        throw new AssertionError("expected " + LARGE_MIB + " MiB of output, got " + text.length());
                    }
                    if (i > 0) { // the first of each warms the paths up
                        large.get(s).add(ownMillis(st) * 1000.0);
                    }
                }
            }
            System.out.println("HEARTH-BENCH | `1+1`, POST -> long-poll answer | runs | p50 | p99 | min | max |"
                    + " statement's own p50 |");
            System.out.println("HEARTH-BENCH |---|---|---|---|---|---|---|");
            for (int s = 0; s < 2; s++) {
                List<Double> t = sorted(trips.get(s));
                System.out.println("HEARTH-BENCH | " + sides.get(s).name() + " | " + t.size() + " | " + ms(pct(t, 50))
                        + " | " + ms(pct(t, 99)) + " | " + ms(t.get(0)) + " | " + ms(t.get(t.size() - 1)) + " | "
                        + ms(pct(sorted(engine.get(s)), 50)) + " |");
            }
            System.out.println("HEARTH-BENCH");
            System.out.println("HEARTH-BENCH | " + LARGE_MIB + " MiB printed, statement started -> completed | runs"
                    + " | median | min | max | median MiB/s |");
            System.out.println("HEARTH-BENCH |---|---|---|---|---|---|");
            for (int s = 0; s < 2; s++) {
                List<Double> t = sorted(large.get(s));
                double median = pct(t, 50);
                System.out.println("HEARTH-BENCH | " + sides.get(s).name() + " | " + t.size() + " | " + ms(median)
                        + " | " + ms(t.get(0)) + " | " + ms(t.get(t.size() - 1)) + " | "
                        + String.format(Locale.ROOT, "%.0f", LARGE_MIB / (median / 1e6)) + " |");
            }
        }
    }

    /**
     * The channel alone, with no Spark, Python or HTTP in the way: in this JVM, an engine's end and a gateway's end
     * over loopback through the transports and handshake the real ones use (the gateway's certificate made as a
     * gateway makes it), plain and TLS interleaved: a one-character {@code Output} answered by a {@code Cancel} (a
     * round trip), and {@link #LARGE_MIB} MiB of {@code Output} messages of 32 Ki characters, as an engine sends
     * printed text, until the last one is read.
     */
    @Test
    void theChannelAlonePlainAgainstTls(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ChannelCertificate certificate = ChannelCertificate.loadOrCreate(dir.resolve("k.pem"), dir.resolve("c.pem"),
                new java.security.SecureRandom());
        List<String> names = List.of("plain TCP", "TLS 1.3");
        List<Channel[]> pairs = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            for (ChannelEncryption mode : List.of(ChannelEncryption.OFF_HOST, ChannelEncryption.ALWAYS)) {
                pairs.add(connect(server, ChannelTransport.gateway(mode, certificate.serverContext()),
                        ChannelTransport.engine(new ChannelTls(mode, certificate.fingerprint()))));
            }
            List<List<Double>> trips = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 500 + 5000; i++) {
                for (int k = 0; k < 2; k++) {
                    int s = (i + k) % 2;
                    Channel engine = pairs.get(s)[0];
                    Channel gateway = pairs.get(s)[1];
                    long t0 = System.nanoTime();
                    engine.send(new ChannelMessage.Output(1, "stdout", "x"));
                    gateway.receive();
                    gateway.send(new ChannelMessage.Cancel(1));
                    engine.receive();
                    if (i >= 500) {
                        trips.get(s).add((System.nanoTime() - t0) / 1000.0);
                    }
                }
            }
            String piece = "y".repeat(32 * 1024);
            int pieces = LARGE_MIB * 32;
            List<List<Double>> bulk = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < 1 + 10; i++) {
                for (int k = 0; k < 2; k++) {
                    int s = (i + k) % 2;
                    Channel engine = pairs.get(s)[0];
                    Channel gateway = pairs.get(s)[1];
                    long t0 = System.nanoTime();
                    Thread sender = new Thread(() -> {
                        try {
                            for (int n = 0; n < pieces; n++) {
                                engine.send(new ChannelMessage.Output(2, "stdout", piece));
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, "bench-channel-sender");
                    sender.start();
                    for (int n = 0; n < pieces; n++) {
                        gateway.receive();
                    }
                    sender.join();
                    if (i > 0) {
                        bulk.get(s).add((System.nanoTime() - t0) / 1000.0);
                    }
                }
            }
            System.out.println("HEARTH-BENCH | the channel alone: `Output` -> `Cancel` round trip | runs | p50 | p99"
                    + " | min | max |");
            System.out.println("HEARTH-BENCH |---|---|---|---|---|---|");
            for (int s = 0; s < 2; s++) {
                List<Double> t = sorted(trips.get(s));
                System.out.println("HEARTH-BENCH | " + names.get(s) + " | " + t.size() + " | " + ms(pct(t, 50)) + " | "
                        + ms(pct(t, 99)) + " | " + ms(t.get(0)) + " | " + ms(t.get(t.size() - 1)) + " |");
            }
            System.out.println("HEARTH-BENCH");
            System.out.println("HEARTH-BENCH | the channel alone: " + LARGE_MIB + " MiB as 32 Ki `Output` messages |"
                    + " runs | median | min | max | median MiB/s |");
            System.out.println("HEARTH-BENCH |---|---|---|---|---|---|");
            for (int s = 0; s < 2; s++) {
                List<Double> t = sorted(bulk.get(s));
                System.out.println("HEARTH-BENCH | " + names.get(s) + " | " + t.size() + " | " + ms(pct(t, 50)) + " | "
                        + ms(t.get(0)) + " | " + ms(t.get(t.size() - 1)) + " | "
                        + String.format(Locale.ROOT, "%.0f", LARGE_MIB / (pct(t, 50) / 1e6)) + " |");
            }
        } finally {
            for (Channel[] pair : pairs) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    /** An engine's end and a gateway's end of one channel, opened through {@code server}. */
    private static Channel[] connect(ServerSocket server, ChannelTransport gatewaySide, ChannelTransport engineSide)
            throws Exception {
        String secret = "bench-secret";
        java.util.concurrent.CompletableFuture<Channel> gateway = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new Handshake(new MessageCodec(), new ChannelAuth(), gatewaySide, 64L << 20)
                                .verify(server.accept(), id -> java.util.Optional.of(
                                        new Handshake.Expected(secret, new LinkKey("bench-key")))).welcome();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        Channel engine = new Handshake(new MessageCodec(), new ChannelAuth(), engineSide)
                .connect("127.0.0.1", server.getLocalPort(), "1", secret).channel();
        return new Channel[] {engine, gateway.get(30, java.util.concurrent.TimeUnit.SECONDS)};
    }

    private static Side side(String name, Gateway gateway) {
        LivyClient livy = new LivyClient(gateway.baseUrl());
        int session = livy.post("/sessions", SESSION_BODY).json().get("id").getAsInt();
        livy.awaitSessionState(session, "idle", WAIT);
        return new Side(name, gateway, livy, session);
    }

    private static JsonObject run(Side side, String code) {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        String statements = "/sessions/" + side.session() + "/statements";
        LivyClient.Response posted = side.livy().post(statements, body.toString());
        if (posted.status() != 201) {
            throw new AssertionError("POST answered " + posted.status() + ": " + posted.body());
        }
        int sid = posted.json().get("id").getAsInt();
        JsonObject st = side.livy().get(statements + "/" + sid + "?wait=60s").json();
        if (!st.get("state").getAsString().equals("available")) {
            throw new AssertionError("not finished within the long-poll: " + st.get("state"));
        }
        return st;
    }

    private static void check(JsonObject statement, String expected) {
        String text = statement.getAsJsonObject("output").getAsJsonObject("data").get("text/plain").getAsString();
        if (!text.equals(expected)) {
            throw new AssertionError("expected " + expected + ", got " + statement);
        }
    }

    /** The statement's own time as the gateway recorded it (whole milliseconds). */
    private static long ownMillis(JsonObject statement) {
        return statement.get("completed").getAsLong() - statement.get("started").getAsLong();
    }
}
