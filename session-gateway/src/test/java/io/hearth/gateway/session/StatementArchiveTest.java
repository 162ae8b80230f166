package io.hearth.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.gateway.store.ConfCipher;
import io.hearth.gateway.store.SqliteStateStore;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished statements are read from a real state store through a cache that never holds more than its size. */
class StatementArchiveTest {

    /** Each statement prints 100,000 characters: about 200 KB as the cache reckons. */
    private static final int CHARS = 100_000;

    @TempDir
    Path dir;

    private static Statement printing(int id) {
        String text = Integer.toString(id % 10).repeat(CHARS);
        return new Statement(id, "print(" + id + ")", Kind.PYSPARK, StatementState.AVAILABLE,
                List.of(new Statement.StreamText("stdout", text)), List.of(), StatementOutput.ok(id, new JsonObject()),
                1.0, List.of(), 1, 2, List.of());
    }

    private static List<StatementEvent> history(Statement st) {
        return List.of(new StatementEvent(1, "state", new StatementEvent.StateData("waiting")),
                new StatementEvent(2, "output", new StatementEvent.OutputData("stdout",
                        st.streams().get(0).parts().get(0))),
                new StatementEvent(3, "state", new StatementEvent.StateData("available")),
                new StatementEvent(4, "result", null));
    }

    @Test
    void theMostRecentlyReadAreKeptUpToTheSizeAndEveryOneIsReadable() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"),
                new ConfCipher(new byte[32], new java.security.SecureRandom()))) {
            for (int id = 0; id < 20; id++) {
                store.saveFinishedStatement(0, printing(id), history(printing(id)));
            }
            long size = 1_000_000; // room for four
            StatementArchive archive = new StatementArchive(store, size);
            for (int id = 0; id < 20; id++) {
                StatementArchive.Entry e = archive.get(0, id).orElseThrow();
                assertEquals(printing(id), e.statement());
                assertEquals(history(printing(id)), e.history());
                assertTrue(archive.cachedBytes() <= size, "cached " + archive.cachedBytes());
            }
            assertTrue(archive.cachedBytes() > size / 2, "the last ones read are kept: " + archive.cachedBytes());
            StatementArchive.Entry last = archive.get(0, 19).orElseThrow();
            assertSame(last, archive.get(0, 19).orElseThrow(), "a cached statement is not read again");
            archive.get(0, 18);
            archive.get(0, 0);
            archive.get(0, 1);
            archive.get(0, 2); // four read after 19: it went first
            assertNotSame(last, archive.get(0, 19).orElseThrow());

            archive.forget(0);
            assertEquals(0, archive.cachedBytes());
            assertTrue(archive.get(1, 0).isEmpty(), "no such session in the store");
        }
    }

    @Test
    void aStatementLargerThanTheCacheIsServedButNotKept() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"),
                new ConfCipher(new byte[32], new java.security.SecureRandom()))) {
            store.saveFinishedStatement(0, printing(0), history(printing(0)));
            StatementArchive archive = new StatementArchive(store, 100_000);
            assertEquals(printing(0), archive.get(0, 0).orElseThrow().statement());
            assertEquals(0, archive.cachedBytes());
            StatementArchive none = new StatementArchive(store, 0);
            assertEquals(printing(0), none.get(0, 0).orElseThrow().statement());
            assertEquals(0, none.cachedBytes());
        }
    }

    @Test
    void aStatementJustStoredIsKeptAsTheStoreGivesItBackWithinTheSize() {
        try (StateStore store = SqliteStateStore.open(dir.resolve("state.db"),
                new ConfCipher(new byte[32], new java.security.SecureRandom()))) {
            StatementArchive archive = new StatementArchive(store, 1_000_000);
            Statement stored = printing(0);
            store.saveFinishedStatement(0, stored, history(stored));
            archive.keepStored(0, stored, history(stored));
            StateStore.StoredStatement readBack = store.loadStatement(0, 0).orElseThrow();
            StatementArchive.Entry kept = archive.get(0, 0).orElseThrow();
            assertSame(stored, kept.statement(), "served from memory, not read back");
            assertEquals(readBack.statement(), kept.statement());
            assertEquals(readBack.history(), kept.history());
            long estimated = archive.cachedBytes();
            archive.forget(0);
            archive.get(0, 0);
            assertTrue(Math.abs(archive.cachedBytes() - estimated) < estimated / 100,
                    "reckoned as a read from the store is: " + estimated + " against " + archive.cachedBytes());

            StatementArchive small = new StatementArchive(store, 100_000);
            small.keepStored(0, stored, history(stored));
            assertEquals(0, small.cachedBytes(), "larger than the cache: not kept");
            assertNotSame(stored, small.get(0, 0).orElseThrow().statement());
        }
    }
}
