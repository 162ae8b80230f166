package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's engines over gateway processes' lives: one older than the max idle age is replaced, one that dies is
 * replaced, a gateway killed
 * outright leaves its pooled engine running and the next start stops it (never taking it back as a session) and
 * rebuilds the pool, and a gateway's stop stops its pooled engine. No engine needs to get ready for that.
 */
class WarmEnginePoolLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void oldAndDeadPooledEnginesAreReplacedAndARestartStopsTheLeftOneAndRebuildsThePool(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Map<String, String> env = TestEngine.gatewayEnv(state);
        env.put("HEARTH_POOL_SIZE", "1");
        // Long enough that the engine killed below is seen dead before it is old, even on a loaded machine.
        env.put("HEARTH_POOL_MAX_IDLE", "8s");
        GatewayProcess first = GatewayProcess.start(0, env, dir.resolve("gateway-1.log"), WAIT);
        long left;
        try {
            long old = awaitPooled(state, pid -> true);
            long killed = awaitPooled(state, pid -> pid != old);
            assertTrue(awaitGone(old), "the engine past its max idle age was stopped");
            ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
            awaitPooled(state, pid -> pid != killed);
            assertTrue(first.output().contains("died before it was ready"), "its death was seen, not its age");
        } finally {
            first.kill();
        }
        left = pooled(state).get(0);
        assertTrue(alive(left), "a gateway killed outright stopped nothing");

        env.put("HEARTH_POOL_MAX_IDLE", "30m");
        GatewayProcess second = GatewayProcess.start(first.port(), env, dir.resolve("gateway-2.log"), WAIT);
        long rebuilt;
        try {
            assertTrue(awaitGone(left), "the restarted gateway stopped the engine its predecessor left in the pool");
            rebuilt = awaitPooled(state, pid -> pid != left);
            LivyClient livy = new LivyClient(second.baseUrl());
            assertEquals(0, livy.get("/sessions").json().get("total").getAsInt(), "no pooled engine came back as a session");
        } finally {
            second.stop();
        }
        assertTrue(awaitGone(rebuilt), "the gateway's stop stopped its pooled engine");
        assertEquals("", Files.readString(state.resolve("pool-engines")));
    }

    /** The pooled engine's pid once one that {@code wanted} accepts is in the pool's record and alive. */
    private static long awaitPooled(Path state, Predicate<Long> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> pids = pooled(state);
            if (pids.size() == 1 && wanted.test(pids.get(0)) && alive(pids.get(0))) {
                return pids.get(0);
            }
            Thread.sleep(100);
        }
        return fail("no pooled engine as wanted in the record: " + pooled(state));
    }

    private static List<Long> pooled(Path state) throws IOException {
        Path record = state.resolve("pool-engines");
        if (!Files.isRegularFile(record)) {
            return List.of();
        }
        return Files.readAllLines(record).stream().filter(l -> !l.isBlank())
                .map(l -> Long.parseLong(l.split(" ")[0])).toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return !alive(pid);
    }
}
