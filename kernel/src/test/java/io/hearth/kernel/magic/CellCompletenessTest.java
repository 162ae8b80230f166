package io.hearth.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.kernel.livy.StatementKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** is_complete of a whole cell: the code in its own language, magics without code, and `name?` in every kernel. */
class CellCompletenessTest {

    private static String status(StatementKind kernel, String cell) {
        return new CellCompleteness(new CellLanguage(StandardMagics.all(), kernel)).check(cell).status();
    }

    @Test
    void aLanguageMagicsBodyIsJudgedInItsLanguage() {
        Map<String, String> pyspark = Map.of(
                "%%sql\nSELECT 1", "incomplete",
                "%%sql\nSELECT 1;", "complete",
                "%%sql -n 5\nSELECT 1 +;", "invalid",
                "%%scala\nval x = = 1", "invalid",
                "%%java\nint x =", "incomplete",
                "%%sql", "incomplete",
                "x = = 1", "invalid");
        pyspark.forEach((cell, expected) -> assertEquals(expected, status(StatementKind.PYSPARK, cell), cell));
        assertEquals("invalid", status(StatementKind.SQL, "%%pyspark\nprint x"));
    }

    @Test
    void magicsWithoutCodeAndHelpRequests() {
        assertEquals("complete", status(StatementKind.PYSPARK, "%%info"));
        assertEquals("complete", status(StatementKind.SQL, "%%help"));
        assertEquals("incomplete", status(StatementKind.PYSPARK, "%%configure\n{\"driverMemory\": \"2g\"}"));
        assertEquals("complete", status(StatementKind.PYSPARK, "%%configure\n{\"driverMemory\": \"2g\"}\n\n"));
        for (StatementKind kind : StatementKind.values()) {
            assertEquals("complete", status(kind, "spark?"), kind.wireName());
            assertEquals("complete", status(kind, "spark.range??"), kind.wireName());
        }
    }
}
