package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.SessionLogFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CappedSessionLogTest {

    @TempDir
    Path dir;

    private static void write(CappedSessionLog log, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        log.write(b, 0, b.length);
    }

    @Test
    void theFileAndItsRotatedPartHoldTheCapWithAMarkerCountingWhatWasDropped() throws Exception {
        Path file = dir.resolve("engine.log");
        Path rotated = SessionLogFile.rotated(file);
        CappedSessionLog log = new CappedSessionLog(file, 100);
        for (int i = 0; i < 10; i++) {
            write(log, i + "23456789\n"); // 10 bytes a line, 50 bytes a half
        }
        assertEquals("523456789\n623456789\n723456789\n823456789\n923456789\n", Files.readString(file));
        // the first rotation dropped nothing, so it has no marker
        assertEquals("023456789\n123456789\n223456789\n323456789\n423456789\n", Files.readString(rotated));
        write(log, "a23456789\n");
        assertEquals("a23456789\n", Files.readString(file));
        assertEquals(SessionLogFile.droppedMarker(50) + "\n"
                + "523456789\n623456789\n723456789\n823456789\n923456789\n", Files.readString(rotated));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rotated)));
    }

    @Test
    void bytesOthersAppendCountAndAWriteLargerThanHalfTheCapIsSplit() throws Exception {
        Path file = dir.resolve("engine.log");
        CappedSessionLog log = new CappedSessionLog(file, 100);
        Files.writeString(file, "x".repeat(45), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        write(log, "y".repeat(10));
        assertEquals("y".repeat(10), Files.readString(file), "the 45 bytes another writer appended counted");
        write(log, "z".repeat(120));
        long total = Files.size(file) + Files.size(SessionLogFile.rotated(file));
        assertTrue(total <= 100 + SessionLogFile.droppedMarker(1000).length() + 1, "on disk: " + total);
        assertTrue(Files.readString(file).chars().allMatch(c -> c == 'z'));
    }
}
