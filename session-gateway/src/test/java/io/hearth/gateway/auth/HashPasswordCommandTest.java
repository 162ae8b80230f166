package io.hearth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.GatewayMain;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The hashing subcommands as an operator runs them, with the secret piped on standard input. */
class HashPasswordCommandTest {

    /** One run: exit code, standard output, standard error. */
    private record Run(int code, String out, String err) {}

    @Test
    void hashPasswordPrintsAUsersFileLineTheGatewayAccepts(@TempDir Path dir) throws Exception {
        Run r = run(new HashPasswordCommand(stdin("correct horse battery staple\n")), "alice");
        assertEquals(0, r.code(), r.err());
        String line = r.out().strip();
        assertTrue(line.startsWith("alice:pbkdf2-sha256:" + PasswordHash.DEFAULT_ITERATIONS + ":"), line);
        assertFalse(line.contains("correct horse"), "the line holds no password");

        try (BasicPasswords users = BasicPasswords.fromFile(Files.writeString(dir.resolve("users"), line + "\n"))) {
            assertEquals(new Authenticator.Authenticated("alice"),
                    users.authenticate(h -> Http.basic("alice", "correct horse battery staple").get(h), "127.0.0.1"));
            assertEquals(Authenticator.Refused.class,
                    users.authenticate(h -> Http.basic("alice", "wrong").get(h), "127.0.0.1").getClass());
        }
    }

    @Test
    void hashTokenPrintsATokensFileLineTheGatewayAccepts(@TempDir Path dir) throws Exception {
        String token = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg";
        Run r = run(new HashTokenCommand(stdin(token + "\n")), "bob");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains(token));
        BearerTokens tokens = BearerTokens.fromFile(Files.writeString(dir.resolve("tokens"), r.out()));
        assertEquals(new Authenticator.Authenticated("bob"), tokens.authenticate(h -> Http.bearer(token).get(h), "127.0.0.1"));
    }

    @Test
    void badInputExitsWith2AndSaysWhy() {
        assertEquals(2, run(new HashPasswordCommand(stdin("")), "alice").code());
        assertEquals(2, run(new HashPasswordCommand(stdin("pw\n")), "al:ice").code());
        Run shortToken = run(new HashTokenCommand(stdin("short\n")), "bob");
        assertEquals(2, shortToken.code());
        assertTrue(shortToken.err().contains("at least"), shortToken.err());
    }

    @Test
    void theSecretCannotBeGivenOnTheCommandLine() {
        CommandLine gateway = new CommandLine(new GatewayMain());
        for (String sub : List.of("hash-password", "hash-token")) {
            CommandLine cmd = gateway.getSubcommands().get(sub);
            assertEquals(List.of("USER"), cmd.getCommandSpec().positionalParameters().stream()
                    .map(p -> p.paramLabel()).toList(), sub);
            assertTrue(cmd.getCommandSpec().options().stream().noneMatch(o -> String.join(",", o.names())
                    .matches("(?i).*(pass|token|secret).*")), sub);
            // A second positional word (a password typed after the user) is an error, not a password.
            assertEquals(2, run(cmd.getCommand(), "alice", "hunter2hunter2hunter2").code());
        }
    }

    private static SecretInput stdin(String text) {
        return new SecretInput(null, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Run(cmd.execute(args), out.toString(), err.toString());
    }
}
