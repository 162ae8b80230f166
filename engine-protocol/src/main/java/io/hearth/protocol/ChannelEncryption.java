package io.hearth.protocol;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the engine channel runs inside TLS: {@link #OFF_HOST} (the default) whenever the engine's peer is not a
 * loopback address, since statements, their output and the link key then cross a network; {@link #ALWAYS} on loopback
 * too, for an operator who wants it (and for tests of TLS on one host).
 */
public enum ChannelEncryption {
    OFF_HOST("off-host"),
    ALWAYS("always");

    private final String wireName;

    ChannelEncryption(String wireName) {
        this.wireName = wireName;
    }

    /** The name in settings and launch variables: {@code off-host} or {@code always}. */
    public String wireName() {
        return wireName;
    }

    /** Whether a connection with {@code peer} at its other end must be TLS. */
    public boolean encrypts(InetAddress peer) {
        return this == ALWAYS || !peer.isLoopbackAddress();
    }

    /** The value of {@code text}; the message of a failure names the choices. */
    public static ChannelEncryption parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.wireName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("channel encryption must be one of "
                        + Arrays.stream(values()).map(ChannelEncryption::wireName).collect(Collectors.joining(", "))
                        + ", not " + text));
    }
}
