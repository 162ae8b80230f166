package io.hearth.kernel.gateway;

/** No gateway listens at the configured address (refused, unknown host or connect timeout). */
public final class GatewayUnreachableException extends GatewayException {

    /** A failure to connect; the message names the URL tried. */
    public GatewayUnreachableException(String message) {
        super(0, message);
    }
}
