package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine's place, made by a root gateway for the unprivileged {@code nobody} account: what the account owns, what it
 * cannot change, and a stale place from an earlier gateway cleared without following the links its owner left there.
 */
class RunAsTest {

    @Test
    void aStalePlaceIsClearedAsItsOwnerWithoutFollowingItsLinks(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(OsAccount.currentUid() == 0, "needs root (to hand files to another account)");
        OsAccount nobody = OsAccount.lookup("nobody").orElseThrow();
        Path outside = Files.writeString(dir.resolve("gateway-file"), "keep me");
        Path place = dir.resolve("7");
        Path log = place.resolve("engine.log");
        Path work = RunAs.prepare(place, nobody, log);
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(place)));
        assertEquals(0, (int) Files.getAttribute(place, "unix:uid"), "the place is the gateway's");
        assertEquals(nobody.uid(), (int) Files.getAttribute(log, "unix:uid"), "the log is the account's");
        assertEquals(nobody.uid(), (int) Files.getAttribute(work, "unix:uid"), "work/ is the account's");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(work)));

        // What the account left: files, a directory, links to the gateway's files.
        Files.writeString(log, "old output");
        for (Path made : List.of(Files.createDirectory(work.resolve("spark-warehouse")),
                Files.createDirectory(work.resolve("spark-warehouse/t")), Files.createSymbolicLink(work.resolve("link"),
                        outside), Files.createSymbolicLink(work.resolve("dir-link"), dir))) {
            Files.setAttribute(made, "unix:uid", nobody.uid(), LinkOption.NOFOLLOW_LINKS);
        }
        Path again = RunAs.prepare(place, nobody, log);
        assertEquals("keep me", Files.readString(outside), "a link is removed, not followed");
        try (var left = Files.list(again)) {
            assertEquals(List.of(), left.toList());
        }
        assertEquals(0, Files.size(log), "a fresh log");
        assertEquals(nobody.uid(), (int) Files.getAttribute(log, "unix:uid"));
    }

    @Test
    void theWorkRootIsTheGatewaysAndPassableButNeverAnotherUsersOrALink(@TempDir Path dir) throws Exception {
        Path root = RunAs.openWorkRoot(dir.resolve("engines"));
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        Path link = Files.createSymbolicLink(dir.resolve("elsewhere"), root);
        IOException e = assertThrows(IOException.class, () -> RunAs.openWorkRoot(link));
        assertTrue(e.getMessage().contains("hearth.engine.work-dir"), e.getMessage());
        if (OsAccount.currentUid() == 0) {
            Path theirs = Files.createDirectory(dir.resolve("theirs"));
            Files.setAttribute(theirs, "unix:uid", OsAccount.lookup("nobody").orElseThrow().uid());
            assertThrows(IOException.class, () -> RunAs.openWorkRoot(theirs));
        }
        assertFalse(Files.isSymbolicLink(root), root.toString());
        assertTrue(Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS));
    }
}
