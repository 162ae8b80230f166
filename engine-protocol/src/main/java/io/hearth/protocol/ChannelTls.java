package io.hearth.protocol;

/**
 * What a launch tells an engine about its channel's TLS: when to use it, and the gateway's channel certificate to
 * accept (any other is refused). {@code pin} is null for an engine started without one, which can then reach a
 * gateway on loopback only.
 */
public record ChannelTls(ChannelEncryption encryption, ChannelFingerprint pin) {

    /** An engine's defaults when its launch names nothing: plain on loopback, no gateway elsewhere trusted. */
    public static final ChannelTls LOOPBACK_ONLY = new ChannelTls(ChannelEncryption.OFF_HOST, null);

    public ChannelTls {
        if (encryption == null) {
            throw new IllegalArgumentException("no channel encryption mode");
        }
    }
}
