package io.hearth.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.StubGateway;
import io.hearth.kernel.testing.WiredKernel;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code %%configure} and {@code %%info} show a secret setting redacted, while the session request carries the real
 * value to the gateway. The kernel's rendering only, against a stub gateway (StubGateway); test_magics.py runs the same
 * against a real gateway and engine, and checks the engine got the value.
 */
class SecretSettingsAreRedactedTest {

    @Test
    void configureAndInfoShowSecretSettingsRedactedAndTheGatewayGetsTheRealValue() throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        try (StubGateway gateway = new StubGateway();
             WiredKernel kernel = new WiredKernel(gateway.url(), StatementKind.PYSPARK)) {
            String configure = kernel.execute("%%configure\n{\"conf\": {\"spark.hadoop.fs.s3a.secret.key\": \"" + secret
                    + "\", \"spark.sql.shuffle.partitions\": \"3\"}}").stdout();
            assertTrue(configure.contains("\"spark.hadoop.fs.s3a.secret.key\": \"*********(redacted)\""), configure);
            assertTrue(configure.contains("\"spark.sql.shuffle.partitions\": \"3\""), configure);
            assertFalse(configure.contains(secret), configure);

            String info = kernel.execute("%%info").results().get(0).toString();
            assertTrue(info.contains("*********(redacted)"), info);
            assertFalse(info.contains(secret), info);

            kernel.execute("1 + 1");
            StubGateway.Request created = gateway.requests("POST", "/sessions").get(0);
            assertEquals(secret, created.json().getAsJsonObject("conf").get("spark.hadoop.fs.s3a.secret.key")
                    .getAsString(), "the gateway gets the real value");
        }
    }
}
