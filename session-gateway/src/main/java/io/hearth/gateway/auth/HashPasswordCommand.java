package io.hearth.gateway.auth;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hearth-gateway hash-password USER}: prints the users-file line for USER with a password read from stdin. */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Prints a line for the users file (hearth.auth.users-file): USER:pbkdf2-sha256:...",
                "The password is read from the terminal (typed twice, not echoed) or from the first line of standard"
                        + " input; never from the command line."})
public final class HashPasswordCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "USER", description = "The user name (no ':').")
    private String user;

    @Option(names = "--iterations", description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
    private int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Spec
    private CommandSpec spec;

    private final SecretInput input;

    public HashPasswordCommand() {
        this(new SecretInput(System.console(), System.in));
    }

    HashPasswordCommand(SecretInput input) {
        this.input = input;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!UserNames.isValid(user)) {
            err.println("hash-password: " + UserNames.RULE);
            return 2;
        }
        if (iterations < 100_000) {
            err.println("hash-password: --iterations must be at least 100000");
            return 2;
        }
        char[] password;
        try {
            password = input.read("password");
        } catch (IllegalArgumentException e) {
            err.println("hash-password: " + e.getMessage());
            return 2;
        }
        try {
            spec.commandLine().getOut().println(user + ":"
                    + PasswordHash.create(password, iterations, new SecureRandom()).encoded());
            spec.commandLine().getOut().flush();
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }
}
