package io.hearth.gateway.auth;

/**
 * Who a request acts for: the authenticated user (or the {@code doAs} user they act as), null when authentication is
 * off. A superuser may see and change every session and act as anyone; with authentication off everybody is one, as in
 * Livy without authentication.
 */
public record Caller(String user, boolean superuser) {

    /** Every caller when authentication is off. */
    public static Caller anonymous() {
        return new Caller(null, true);
    }

    /** Whether this caller may act as, or create a session running as, {@code other}. */
    public boolean mayActAs(String other) {
        return superuser || (user != null && user.equals(other));
    }

    /** Whether this caller may see and change a session owned by {@code owner}. */
    public boolean mayAccess(String owner) {
        return superuser || (user != null && user.equals(owner));
    }
}
