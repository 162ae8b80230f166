package io.hearth.gateway.launch;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a client-mode driver (the engine) should listen, derived from the gateway's own address and the master, so
 * that an operator on one host never exports {@code SPARK_LOCAL_IP}. A driver whose executors run on this host (a
 * {@code local*} master, or a standalone master on loopback) listens where the gateway does, loopback by default; so
 * does its UI, which binds {@code SPARK_LOCAL_IP} or else every interface. A driver with executors on other hosts
 * must be reachable from them: it gets the gateway's address when that is routable, and otherwise nothing, leaving
 * the choice to the operator's {@code spark.driver.host}/{@code spark.driver.bindAddress} (README, "Adding libraries
 * and operator defaults"). A cluster-mode driver runs in the cluster and gets nothing.
 */
public final class DriverAddresses {

    /** The bind setting the launchers also give the driver's UI, as {@code SPARK_LOCAL_IP}. */
    public static final String BIND_ADDRESS = "spark.driver.bindAddress";
    static final String HOST = "spark.driver.host";

    private DriverAddresses() {}

    /**
     * The driver settings for a launch, lowest of the operator's layers.
     *
     * @param gatewayHost the address engines dial the gateway at (loopback for a gateway listening on loopback or on
     *                    every interface)
     */
    public static Map<String, String> derive(String gatewayHost, String master, String deployMode) {
        if ("cluster".equals(deployMode)) {
            return Map.of();
        }
        boolean executorsHere = master.startsWith("local") || standaloneOnLoopback(master);
        if (executorsHere || !isLoopback(gatewayHost)) {
            return Map.of(BIND_ADDRESS, gatewayHost, HOST, gatewayHost);
        }
        return Map.of();
    }

    /**
     * {@code SPARK_LOCAL_IP} for a client-mode driver: its bind address, so that the UI listens there too (for a
     * {@code local*} master without one, {@code gatewayHost}); none when the operator's own environment sets it.
     */
    static Optional<String> localIp(Map<String, String> conf, String deployMode, Map<String, String> env,
                                    String gatewayHost) {
        if ("cluster".equals(deployMode) || env.containsKey("SPARK_LOCAL_IP")) {
            return Optional.empty();
        }
        String bind = conf.get(BIND_ADDRESS);
        if (bind == null && conf.getOrDefault("spark.master", "").startsWith("local")) {
            bind = gatewayHost;
        }
        return Optional.ofNullable(bind);
    }

    private static boolean standaloneOnLoopback(String master) {
        if (!master.startsWith("spark://")) {
            return false;
        }
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI uri = URI.create("spark://" + hostPort);
            if (uri.getHost() == null || !isLoopback(uri.getHost())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
