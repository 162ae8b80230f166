package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionLogTest {

    @TempDir
    Path dir;

    @Test
    void keepsOnlyTheLastLinesUpToItsCapacity() {
        SessionLog log = new SessionLog(dir.resolve("s/engine.log"), 3);
        for (int i = 1; i <= 5; i++) {
            log.append("line " + i);
        }
        assertEquals(List.of("line 3", "line 4", "line 5"), log.tail(10));
        assertEquals(List.of("line 5"), log.tail(1));
    }

    @Test
    void pagesLikeLivyTailByDefaultWindowWithFromAllWithNegativeSize() {
        SessionLog log = new SessionLog(dir.resolve("engine.log"), 100);
        for (int i = 0; i < 10; i++) {
            log.append("l" + i);
        }
        assertEquals(new SessionLog.Page(7, 10, List.of("l7", "l8", "l9")), log.page(null, 3));
        assertEquals(new SessionLog.Page(2, 10, List.of("l2", "l3")), log.page(2, 2));
        assertEquals(new SessionLog.Page(8, 10, List.of("l8", "l9")), log.page(8, -1));
        assertEquals(new SessionLog.Page(10, 10, List.of()), log.page(50, 5));
        assertEquals(10, log.page(null, -1).lines().size());
    }

    @Test
    void linesTheEngineWroteToTheFileAndThoseOfAnEarlierGatewayAreRead() throws Exception {
        Path file = dir.resolve("engine.log");
        new SessionLog(file, 100).append("[hearth] from the gateway before its restart");
        Files.writeString(file, "engine line\r\npartial", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        SessionLog reopened = new SessionLog(file, 100);
        assertEquals(List.of("[hearth] from the gateway before its restart", "engine line", "partial"),
                reopened.tail(10));
        assertEquals(List.of(), new SessionLog(dir.resolve("none.log"), 5).tail(5));
    }

    @Test
    void aHugeLogIsReadFromItsTailOnly() throws Exception {
        Path file = dir.resolve("engine.log");
        String line = "x".repeat(999) + "\n";
        Files.writeString(file, line.repeat(SessionLog.MAX_READ_BYTES / 1000 + 50) + "last\n", StandardCharsets.UTF_8);
        List<String> tail = new SessionLog(file, 1_000_000).tail(1_000_000);
        assertEquals("last", tail.get(tail.size() - 1));
        assertEquals(999, tail.get(0).length(), "the first, cut line is dropped");
        assertEquals((SessionLog.MAX_READ_BYTES - "last\n".length()) / 1000, tail.size() - 1, "whole lines kept");
        assertEquals(List.of(line.strip(), line.strip(), "last"), new SessionLog(file, 1000).tail(3));
        assertEquals(1000, new SessionLog(file, 1000).tail(5000).size(), "a long tail is still cut at the capacity");
    }

    @Test
    void readsGoOnIntoTheRotatedPartAndTheEngineIsToldTheCap() throws Exception {
        Path file = dir.resolve("engine.log");
        Files.writeString(io.hearth.protocol.SessionLogFile.rotated(file), "[hearth] 10 bytes of earlier output dropped"
                + " (hearth.session.log-max-size)\nolder 1\nolder ");
        Files.writeString(file, "2\nnewer\n");
        SessionLog log = new SessionLog(file, 100, 1024);
        assertEquals(List.of("[hearth] 10 bytes of earlier output dropped (hearth.session.log-max-size)", "older 1",
                "older 2", "newer"), log.tail(10));
        assertEquals(List.of("older 2", "newer"), log.tail(2));
        assertEquals(new SessionLog.Page(3, 4, List.of("newer")), log.page(null, 1));
        assertEquals(java.util.Map.of("HEARTH_SESSION_LOG", file.toAbsolutePath().toString(),
                "HEARTH_SESSION_LOG_MAX_BYTES", "1024"), log.engineVariables());
        assertEquals(java.util.Map.of(), new SessionLog(file, 100).engineVariables(), "a batch's log has no cap");
    }
}
