package io.hearth.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Key material for tests, made the way an operator makes it: with {@code hearth-gateway tls-selfsigned}. */
final class Certificates {

    private Certificates() {}

    /** Runs the command with these arguments; returns what it printed. Fails the test if it does not succeed. */
    static String selfSigned(String... args) {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new SelfSignedCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
                .execute(args);
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    /** A CA and a server certificate for 127.0.0.1 and localhost in {@code dir}, plus {@code extra} options. */
    static Path forLoopback(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", "localhost", "--out", dir.toString()));
        args.addAll(List.of(extra));
        selfSigned(args.toArray(new String[0]));
        return dir;
    }

    /** Replaces {@code to} by {@code from} in one rename, as a careful operator's deploy step does. */
    static void replace(Path from, Path to) throws java.io.IOException {
        Path tmp = to.resolveSibling("." + to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
