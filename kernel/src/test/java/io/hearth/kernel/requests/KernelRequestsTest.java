package io.hearth.kernel.requests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.Kernel;
import io.hearth.kernel.KernelMain;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.livy.StatementKind;
import org.junit.jupiter.api.Test;

/** The kernel_info_reply content, without starting Jupyter channels. */
class KernelRequestsTest {

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
}
