package io.hearth.gateway.auth;

import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Where a gateway may listen: anywhere with authentication and TLS, only on loopback without authentication unless the
 * operator explicitly accepts that anyone who reaches the port can run code as the gateway's user, and only on
 * loopback with authentication but without TLS unless the operator explicitly accepts credentials in clear.
 */
public final class ListenPolicy {

    private ListenPolicy() {}

    /**
     * @throws IllegalArgumentException for a non-loopback host without authentication, or with authentication but
     *                                  without TLS, and without the matching explicit override
     */
    public static void check(String host, AuthSettings settings, TlsSettings tls) throws IOException {
        if (settings.authenticates()) {
            checkTransport(host, tls);
            return;
        }
        if (settings.allowUnauthenticated()) {
            return;
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("refusing to listen on " + host + " (" + a.getHostAddress()
                        + ") without authentication: anyone who can reach the port could run code as this user."
                        + " Set hearth.auth.methods (token, basic) or listen on a loopback address such as 127.0.0.1,"
                        + " or set hearth.gateway.allow-unauthenticated=true to accept that risk");
            }
        }
    }

    private static void checkTransport(String host, TlsSettings tls) throws IOException {
        if (tls.enabled() || tls.allowPlainHttp()) {
            return;
        }
        InetAddress exposed = nonLoopback(host);
        if (exposed != null) {
            throw new IllegalArgumentException("refusing to listen on " + host + " (" + exposed.getHostAddress()
                    + ") with authentication but without TLS: tokens and passwords, code and results would cross the"
                    + " network in clear. Set hearth.gateway.tls.cert-file and hearth.gateway.tls.key-file (bin/hearth"
                    + " gateway tls-selfsigned HOST makes a pair), or listen on a loopback address such as 127.0.0.1,"
                    + " or set hearth.gateway.allow-plain-http=true if something else encrypts the traffic");
        }
    }

    /** Whether the gateway will serve plain HTTP with credentials beyond this machine, which deserves a warning. */
    public static boolean exposedInClear(String host, AuthSettings settings, TlsSettings tls) throws IOException {
        return settings.authenticates() && !tls.enabled() && nonLoopback(host) != null;
    }

    private static InetAddress nonLoopback(String host) throws IOException {
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!a.isLoopbackAddress()) {
                return a;
            }
        }
        return null;
    }

    /** Whether the gateway will listen beyond this machine without authentication, which deserves a warning. */
    public static boolean exposedWithoutAuthentication(String host, AuthSettings settings) throws IOException {
        if (settings.authenticates()) {
            return false;
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!a.isLoopbackAddress()) {
                return true;
            }
        }
        return false;
    }
}
