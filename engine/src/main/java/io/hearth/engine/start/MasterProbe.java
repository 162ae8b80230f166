package io.hearth.engine.start;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a standalone master ({@code spark://host:port[,host:port...]}) accepts connections before Spark tries
 * to register with it. Spark itself retries an unreachable master for a minute and then fails with "Cannot call methods
 * on a stopped SparkContext", the real cause only in its log; this says it in seconds, in the session's error.
 * Masters of other kinds are left to Spark.
 */
final class MasterProbe {

    /** The Spark setting that bounds the wait; a master that is restarting gets this long to come back. */
    static final String TIMEOUT_KEY = "spark.hearth.master.connectTimeout";
    static final String DEFAULT_TIMEOUT = "10s";
    private static final String STANDALONE = "spark://";
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final int CONNECT_MILLIS = 2_000;

    private MasterProbe() {}

    /**
     * Returns once one of the master's addresses accepts a TCP connection; throws, naming each address and why, when
     * none has within {@code timeout}. A master that is not {@code spark://} passes at once.
     */
    static void check(String master, Duration timeout) throws EngineStartException {
        if (!master.startsWith(STANDALONE)) {
            return;
        }
        List<InetSocketAddress> addresses = addresses(master);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> failures;
        do {
            failures = new ArrayList<>();
            for (InetSocketAddress address : addresses) {
                try (Socket socket = new Socket()) {
                    socket.connect(address, CONNECT_MILLIS);
                    return;
                } catch (IOException e) {
                    failures.add(address.getHostString() + ":" + address.getPort() + " (" + e.getMessage() + ")");
                }
            }
        } while (System.nanoTime() < deadline && pause());
        throw new EngineStartException("Failed to connect to master " + master + ": no master answers at "
                + String.join(", ", failures) + " after " + timeout.toSeconds() + " s (" + TIMEOUT_KEY
                + "). Check that the Spark master runs and that this host can reach it.");
    }

    private static List<InetSocketAddress> addresses(String master) throws EngineStartException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String hostPort : master.substring(STANDALONE.length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            try {
                addresses.add(new InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))));
            } catch (RuntimeException e) {
                throw new EngineStartException("Spark master " + master + " is not spark://host:port[,host:port...]");
            }
        }
        return addresses;
    }

    /** False when interrupted: the engine is being stopped, so stop trying. */
    private static boolean pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
