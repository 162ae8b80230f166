package io.hearth.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel_info_reply content and the command line, without starting Jupyter channels. */
class HearthKernelTest {

    @Test
    void kernelInfoDescribesPython() throws Exception {
        try (Kernel kernel = new Kernel(GatewaySettings.of(KernelMain.DEFAULT_GATEWAY_URL), StatementKind.PYSPARK)) {
            JsonObject info = kernel.requests().kernelInfoContent();
            assertEquals("ok", info.get("status").getAsString());
            assertEquals("hearth", info.get("implementation").getAsString());
            JsonObject language = info.getAsJsonObject("language_info");
            assertEquals("python", language.get("name").getAsString());
            assertEquals("3", language.get("version").getAsString());
            assertEquals("text/x-python", language.get("mimetype").getAsString());
            assertEquals(".py", language.get("file_extension").getAsString());
            assertEquals("ipython3", language.get("pygments_lexer").getAsString());
            assertEquals("ipython", language.getAsJsonObject("codemirror_mode").get("name").getAsString());
            assertEquals(3, language.getAsJsonObject("codemirror_mode").get("version").getAsInt());
            assertTrue(info.get("banner").getAsString().contains(KernelMain.DEFAULT_GATEWAY_URL));
        }
    }

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
