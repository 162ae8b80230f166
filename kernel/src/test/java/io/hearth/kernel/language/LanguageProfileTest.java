package io.hearth.kernel.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.livy.StatementKind;
import org.junit.jupiter.api.Test;

/** kernel_info_reply's language_info for each kind. */
class LanguageProfileTest {

    @Test
    void eachKindDescribesItsLanguage() {
        assertLanguage(StatementKind.PYSPARK, "python", ".py", "text/x-python", "ipython3");
        assertLanguage(StatementKind.SPARK, "scala", ".scala", "text/x-scala", "scala");
        assertLanguage(StatementKind.SQL, "sql", ".sql", "application/sql", "sql");
        assertLanguage(StatementKind.JAVA, "java", ".java", "text/x-java", "java");
        assertEquals("ipython", LanguageProfile.forKind(StatementKind.PYSPARK).toJson()
                .getAsJsonObject("codemirror_mode").get("name").getAsString());
    }

    @Test
    void anUnknownKindIsRefusedWithTheKnownOnes() {
        assertTrue(StatementKind.fromWire("r").isEmpty());
        assertEquals("pyspark, spark, sql or java", StatementKind.choices());
    }

    private static void assertLanguage(StatementKind kind, String name, String extension, String mimetype, String lexer) {
        JsonObject info = LanguageProfile.forKind(kind).toJson();
        assertEquals(name, info.get("name").getAsString());
        assertEquals(extension, info.get("file_extension").getAsString());
        assertEquals(mimetype, info.get("mimetype").getAsString());
        assertEquals(lexer, info.get("pygments_lexer").getAsString());
        assertTrue(info.has("codemirror_mode") && info.has("version") && info.has("nbconvert_exporter"));
    }
}
