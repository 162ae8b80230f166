package io.hearth.gateway.auth;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hearth-gateway hash-token USER}: prints the tokens-file line for USER with a token read from stdin. */
@Command(name = "hash-token", mixinStandardHelpOptions = true,
        description = {"Prints a line for the tokens file (hearth.auth.tokens-file): USER:sha256:<hex>.",
                "The token is read from the terminal (typed twice, not echoed) or from the first line of standard"
                        + " input; never from the command line. Make tokens long and random, e.g."
                        + " openssl rand -base64 32."})
public final class HashTokenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "USER", description = "The user the token authenticates (no ':').")
    private String user;

    @Spec
    private CommandSpec spec;

    private final SecretInput input;

    public HashTokenCommand() {
        this(new SecretInput(System.console(), System.in));
    }

    HashTokenCommand(SecretInput input) {
        this.input = input;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!UserNames.isValid(user)) {
            err.println("hash-token: " + UserNames.RULE);
            return 2;
        }
        char[] token;
        try {
            token = input.read("token");
        } catch (IllegalArgumentException e) {
            err.println("hash-token: " + e.getMessage());
            return 2;
        }
        try {
            if (token.length < TokenHash.MIN_TOKEN_LENGTH) {
                err.println("hash-token: a token needs at least " + TokenHash.MIN_TOKEN_LENGTH
                        + " characters to resist guessing (try: openssl rand -base64 32)");
                return 2;
            }
            spec.commandLine().getOut().println(user + ":" + TokenHash.of(new String(token)).encoded());
            spec.commandLine().getOut().flush();
        } finally {
            Arrays.fill(token, '\0');
        }
        return 0;
    }
}
