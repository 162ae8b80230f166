package io.hearth.gateway.auth;

import io.hearth.gateway.config.AuthSettings;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Where a gateway may listen: anywhere with authentication, only on loopback without it unless the operator explicitly
 * accepts that anyone who reaches the port can run code as the gateway's user.
 */
public final class ListenPolicy {

    private ListenPolicy() {}

    /** @throws IllegalArgumentException for a non-loopback host without authentication or the explicit override */
    public static void check(String host, AuthSettings settings) throws IOException {
        if (settings.authenticates() || settings.allowUnauthenticated()) {
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
