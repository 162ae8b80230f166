package io.hearth.kernel.gateway;

import java.nio.file.Path;

/**
 * A PEM file of CA certificates the kernel trusts for the gateway's certificate, besides the JDK's trusted CAs.
 *
 * @param path the file, absolute
 * @param from where the setting came from, for messages ({@code HEARTH_GATEWAY_CA_FILE} or {@code ca_file in ...})
 */
public record CaFile(Path path, String from) {
}
