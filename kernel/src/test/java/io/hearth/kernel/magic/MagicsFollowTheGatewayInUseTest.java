package io.hearth.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.StubGateway;
import io.hearth.kernel.testing.WiredKernel;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * After {@code %%configure {"gatewayUrl": ...}} every magic talks to the gateway it names, not to the kernel's first
 * one. Two stub gateways (see StubGateway; test_gateway_switch.py runs the same with real gateways and engines).
 */
class MagicsFollowTheGatewayInUseTest {

    @Test
    void cellsInfoLogsDeleteAndCleanupAllGoToTheGatewayConfigureNamed() throws Exception {
        try (StubGateway first = new StubGateway();
             StubGateway second = new StubGateway();
             WiredKernel kernel = new WiredKernel(first.url(), StatementKind.PYSPARK)) {
            assertEquals("ok", kernel.execute("%%configure\n{\"gatewayUrl\": \"" + second.url() + "/\"}").reply()
                    .get("status").getAsString());
            assertEquals("pyspark: 1 + 1", kernel.execute("1 + 1").results().get(0).get("text/plain").getAsString());
            int own = second.sessionIds().get(0);
            int other = second.addSession("pyspark");

            // Each magic's answer, gathered before judging, so that one look shows which magics went astray.
            Map<String, String> seen = new TreeMap<>();
            String info = kernel.execute("%%info").results().get(0).get("text/plain").getAsString();
            seen.put("%%info", info.lines().findFirst().orElse(""));
            seen.put("%logs", kernel.execute("%logs -n 5").stdout());
            seen.put("%%delete", kernel.execute("%%delete -s " + other + " -f").stdout());
            seen.put("%%cleanup", kernel.execute("%%cleanup -f").stdout());
            assertEquals(Map.of(
                    "%%info", "Hearth gateway " + second.url() + ": this kernel's session is " + own + ".",
                    "%logs", "stub log of session " + own + "\n",
                    "%%delete", "Deleted session " + other + ".\n",
                    "%%cleanup", "Deleted session " + own + ".\n"), seen);
            assertEquals(List.of(), second.sessionIds());
            assertEquals(List.of(), first.requests(), "the first gateway was never asked anything");
            assertTrue(second.requests("GET", "/sessions/" + own + "/log").size() == 1);
        }
    }
}
