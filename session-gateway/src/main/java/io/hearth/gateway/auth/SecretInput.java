package io.hearth.gateway.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a secret for the hashing commands: from the terminal without echo (typed twice), or as the first line of
 * standard input when that is not a terminal (a pipe or a file). Never from the command line, where other local users
 * can read it in the process list.
 */
final class SecretInput {

    private final Console console;
    private final InputStream stdin;

    /** @param console the terminal, or null when standard input is not one */
    SecretInput(Console console, InputStream stdin) {
        this.console = console;
        this.stdin = stdin;
    }

    /** @throws IllegalArgumentException when nothing was given, or the two typed copies differ */
    char[] read(String what) throws IOException {
        char[] secret;
        if (console != null) {
            secret = console.readPassword("%s: ", what);
            char[] again = console.readPassword("%s again: ", what);
            boolean same = secret != null && Arrays.equals(secret, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                throw new IllegalArgumentException("the two " + what + "s differ");
            }
        } else {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            secret = line == null ? null : line.toCharArray();
        }
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("no " + what + " given (type it, or pipe it on standard input)");
        }
        return secret;
    }
}
