package io.hearth.kernel.gateway;

import java.util.List;

/**
 * The gateway could not be used over TLS: its certificate was refused, the URL's scheme does not match what the
 * gateway speaks, or the CA file is unusable. The message names the problem; {@link #advice()} says what to do.
 */
public final class GatewayTlsException extends GatewayException {

    /** What went wrong. */
    public enum Problem {
        /** No trusted CA issued the gateway's certificate. */
        UNTRUSTED,
        /** The certificate is not for the host the URL names. */
        WRONG_HOST,
        /** A certificate of the chain has expired. */
        EXPIRED,
        /** A certificate of the chain is not valid yet. */
        NOT_YET_VALID,
        /** The JDK refused the chain for another reason (revoked, weak algorithm...). */
        REJECTED,
        /** An https:// URL names a gateway that speaks plain HTTP. */
        PLAIN_HTTP,
        /** An http:// URL names a gateway that speaks only HTTPS. */
        HTTPS_ONLY,
        /** The CA file cannot be read or holds no certificate. */
        CA_FILE,
        /** The TLS handshake failed otherwise (no common protocol version or cipher, a broken peer...). */
        HANDSHAKE
    }

    private final Problem problem;
    private final List<String> advice;

    /** A failure of kind {@code problem}; {@code advice} lines tell the user what to do. */
    public GatewayTlsException(Problem problem, String message, List<String> advice) {
        super(0, message);
        this.problem = problem;
        this.advice = List.copyOf(advice);
    }

    /** What went wrong. */
    public Problem problem() {
        return problem;
    }

    /** What to do about it, line by line. */
    public List<String> advice() {
        return advice;
    }
}
