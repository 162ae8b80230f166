package io.hearth.gateway.launch;

import io.hearth.gateway.config.Settings;
import io.hearth.gateway.http.ApiException;
import java.io.IOException;
import java.util.Optional;

/**
 * Which operating-system account a session's engine runs as. With authentication on, the account of the session's
 * {@code proxyUser}, else of its owner, named by the operator's rule ({@code hearth.engine.os-user-map}); a user with no
 * such account (or one that is root) is refused, never quietly run as the gateway. Without authentication, or when the
 * operator opts into one shared account ({@code hearth.engine.shared-os-user}), every engine runs as the gateway's own
 * account, as a one-user installation always has.
 */
public final class EngineAccounts {

    /** Where the user's name goes in {@code hearth.engine.os-user-map}. */
    public static final String USER = "{user}";

    /** Finds an account by name; {@link OsAccount#lookup} outside tests of the rule. */
    @FunctionalInterface
    public interface Lookup {
        Optional<OsAccount> find(String name) throws IOException;
    }

    private final String map;
    private final Lookup lookup;

    private EngineAccounts(String map, Lookup lookup) {
        this.map = map;
        this.lookup = lookup;
    }

    /** Every engine as the gateway's own account. */
    public static EngineAccounts gatewayOwn() {
        return new EngineAccounts(null, null);
    }

    /** Each engine as its user's account, named by {@code map} (containing {@link #USER}). */
    public static EngineAccounts perUser(String map, Lookup lookup) {
        if (map == null || !map.contains(USER)) {
            throw new IllegalArgumentException(Settings.ENGINE_OS_USER_MAP.key() + " must contain " + USER + ": " + map);
        }
        return new EngineAccounts(map, lookup);
    }

    /** Whether engines run as their users' accounts rather than the gateway's. */
    public boolean perUser() {
        return map != null;
    }

    /**
     * The account the engine of a session owned by {@code owner} (acting as {@code proxyUser}, if set) runs as; empty
     * for the gateway's own.
     *
     * @throws ApiException 403 when the user has no account (or would run as root), saying what the operator can do
     */
    public Optional<OsAccount> forSession(String owner, String proxyUser) {
        if (map == null) {
            return Optional.empty();
        }
        String user = proxyUser != null ? proxyUser : owner;
        if (user == null) {
            throw new ApiException(403, "This gateway runs each engine as its user's account on the host, and the"
                    + " session has no user; ask the operator to turn authentication on, or to set "
                    + Settings.SHARED_OS_USER.key() + "=true");
        }
        String name = map.replace(USER, user);
        Optional<OsAccount> account;
        try {
            account = lookup.find(name);
        } catch (IOException e) {
            throw new ApiException(503, "Cannot look up the account '" + name + "' for user '" + user + "': "
                    + e.getMessage());
        }
        if (account.isEmpty()) {
            throw new ApiException(403, "User '" + user + "' has no account on the gateway's host (looked for '" + name
                    + "' by " + Settings.ENGINE_OS_USER_MAP.key() + "=" + map + "), and this gateway runs each engine as"
                    + " its user's account; ask the operator to create that account, to map users to accounts with "
                    + Settings.ENGINE_OS_USER_MAP.key() + ", or to run every engine as the gateway's own account ("
                    + Settings.SHARED_OS_USER.key() + "=true, which does not keep users apart)");
        }
        if (account.get().uid() == 0) {
            throw new ApiException(403, "User '" + user + "' maps to the account '" + name + "', which is root: an"
                    + " engine never runs as root; ask the operator to change " + Settings.ENGINE_OS_USER_MAP.key());
        }
        return account;
    }
}
