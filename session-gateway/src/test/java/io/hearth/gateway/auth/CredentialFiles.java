package io.hearth.gateway.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes tokens and users files as an operator would, with the hashes the gateway reads. */
final class CredentialFiles {

    /** Fewer PBKDF2 rounds than production, so that tests spend their time on what they check; stored per line. */
    static final int TEST_ITERATIONS = 1_000;

    private CredentialFiles() {}

    static Path tokens(Path dir, Map<String, String> tokenByUser) throws IOException {
        return Files.writeString(dir.resolve("tokens"), "# user:sha256 of the token\n" + tokenByUser.entrySet().stream()
                .map(e -> e.getKey() + ":" + TokenHash.of(e.getValue()).encoded())
                .collect(Collectors.joining("\n")) + "\n");
    }

    static Path users(Path dir, Map<String, String> passwordByUser, int iterations) throws IOException {
        SecureRandom random = new SecureRandom();
        return Files.writeString(dir.resolve("users"), passwordByUser.entrySet().stream()
                .map(e -> e.getKey() + ":" + PasswordHash.create(e.getValue().toCharArray(), iterations, random).encoded())
                .collect(Collectors.joining("\n")) + "\n");
    }
}
