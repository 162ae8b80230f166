package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GatewayMainTest {

    @Test
    void versionFlagPrintsTheBuildsVersionLikeGetVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GatewayMain());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertTrue(out.toString().startsWith(
                "Hearth session gateway " + System.getProperty("hearth.project.version") + "\n"), out.toString());
    }
}
