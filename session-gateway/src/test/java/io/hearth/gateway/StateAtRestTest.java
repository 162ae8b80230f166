package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's state directory is its owner's only: an existing one with wide modes is tightened at start-up, and
 * what the gateway, SQLite and the engine create in it later is owner-only, even under a umask that allows everything.
 * Modes are checked by their bits (the tests run as root, to whom they mean nothing; another user meets them).
 */
class StateAtRestTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void everythingInTheStateDirIsOwnerOnlyWhateverItsEarlierModesAndTheUmask() throws Exception {
        Path state = dir.resolve("state");
        Path oldSession = state.resolve("sessions").resolve("99");
        Files.createDirectories(oldSession);
        Files.writeString(oldSession.resolve("engine.log"), "output of a session of an older gateway\n");
        Files.writeString(state.resolve("notes.txt"), "an operator's file");
        for (Path p : List.of(state, state.resolve("sessions"), oldSession)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (Path p : List.of(oldSession.resolve("engine.log"), state.resolve("notes.txt"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        Map<String, String> env = TestEngine.gatewayEnv(state);
        GatewayProcess gateway = GatewayProcess.startWithUmask("000", 0, env, dir.resolve("gateway.log"), RUN);
        try {
            LivyClient livy = new LivyClient(gateway.baseUrl());
            int id = livy.post("/sessions", "{\"kind\": \"pyspark\", \"conf\": {\"spark.ui.enabled\": \"false\"}}")
                    .json().get("id").getAsInt();
            livy.awaitSessionState(id, "idle", TestEngine.START);
            livy.post("/sessions/" + id + "/statements", "{\"code\": \"6 * 7\"}");
            livy.awaitStatementDone(id, 0, RUN);
            assertTrue(Files.size(state.resolve("sessions").resolve(Integer.toString(id)).resolve("engine.log")) > 0,
                    "the session wrote its log");
            assertTrue(Files.exists(state.resolve("state.db-wal")), "SQLite's write-ahead log is there to check");

            List<String> open = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(state)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                    String mode = PosixFilePermissions.toString(perms);
                    if (!mode.endsWith("------")) {
                        open.add(state.relativize(p) + " " + mode);
                    }
                }
            }
            assertEquals(List.of(), open, "entries other users can use");
            assertTrue(gateway.output().contains("made owner-only"), "the start-up says what it changed");
        } finally {
            gateway.stop();
        }
    }
}
