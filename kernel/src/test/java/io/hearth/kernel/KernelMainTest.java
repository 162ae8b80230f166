package io.hearth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line: mistakes get the usage, never a stack trace. */
class KernelMainTest {

    @Test
    void commandLineMistakesGetUsageNotStackTraces() {
        assertEquals(2, run(List.of()).code);
        Result missing = run(List.of("/nonexistent/connection.json"));
        assertEquals(1, missing.code);
        assertTrue(missing.err.contains("no connection file"), missing.err);
        Result extra = run(List.of("a.json", "b.json"));
        assertEquals(2, extra.code);
        assertTrue(extra.err.contains("usage:"), extra.err);
        Result help = run(List.of("--help"));
        assertEquals(0, help.code);
        assertTrue(help.out.contains("install [--user | --sys-prefix | --prefix DIR]"), help.out);
    }

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = KernelMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
