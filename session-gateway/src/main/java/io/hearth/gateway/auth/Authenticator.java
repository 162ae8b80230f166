package io.hearth.gateway.auth;

import java.util.function.UnaryOperator;

/** One way of proving who a caller is, read from the request's headers. */
public interface Authenticator extends AutoCloseable {

    /** What an authenticator made of a request. */
    sealed interface Result {}

    /** The credentials are valid and belong to {@code user}. */
    record Authenticated(String user) implements Result {}

    /** The request carries no credentials of this authenticator's scheme: another may know them. */
    record NotApplicable() implements Result {}

    /** Credentials of this scheme that are wrong or malformed; {@code reason} never holds the secret itself. */
    record Refused(String reason) implements Result {}

    /** Credentials that were not checked: too many failures, or too many checks at once; try again later. */
    record Throttled(String message, int retryAfterSeconds) implements Result {}

    /**
     * @param header a request header by (case-insensitive) name, or null when absent
     * @param client the caller's network address, which failures are also counted against
     */
    Result authenticate(UnaryOperator<String> header, String client);

    /** The {@code WWW-Authenticate} challenge offering this scheme. */
    String challenge();

    /** What to send, as a 401 message tells it: the {@code Authorization} value with a placeholder for the secret. */
    String usage();

    /** Stops any threads of its own. */
    @Override
    default void close() {}
}
