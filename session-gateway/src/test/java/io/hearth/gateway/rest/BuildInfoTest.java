package io.hearth.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    @Test
    void whatTheBuildDidNotRecordIsUnknownNeverAGuess() throws IOException {
        assertEquals(new BuildInfo("unknown", "unknown", "unknown", "unknown", "unknown", "unknown"),
                BuildInfo.read(null));
        BuildInfo partial = BuildInfo.read(new ByteArrayInputStream(
                "version=1.2.3\nrevision=\nbranch=  main \n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(new BuildInfo("1.2.3", "unknown", "main", "unknown", "unknown", "unknown"), partial);
    }

    @Test
    void theBuildRecordsThisGatewaysOwnVersion() {
        assertEquals(System.getProperty("hearth.project.version"), BuildInfo.load().version());
    }
}
