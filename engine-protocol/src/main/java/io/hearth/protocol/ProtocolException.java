package io.hearth.protocol;

/** The peer sent something the channel protocol does not allow. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
