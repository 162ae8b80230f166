package io.hearth.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** kernel_info_reply's language_info for each kind. */
class LanguageProfileTest {

    @Test
    void eachKindDescribesItsLanguage() {
        assertLanguage("pyspark", "python", ".py", "text/x-python", "ipython3");
        assertLanguage("spark", "scala", ".scala", "text/x-scala", "scala");
        assertLanguage("sql", "sql", ".sql", "application/sql", "sql");
        assertLanguage("java", "java", ".java", "text/x-java", "java");
        assertEquals("ipython", LanguageProfile.forKind("pyspark").toJson()
                .getAsJsonObject("codemirror_mode").get("name").getAsString());
    }

    @Test
    void anUnknownKindIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LanguageProfile.forKind("r"));
        assertTrue(e.getMessage().contains("pyspark, spark, sql or java"), e.getMessage());
    }

    private static void assertLanguage(String kind, String name, String extension, String mimetype, String lexer) {
        JsonObject info = LanguageProfile.forKind(kind).toJson();
        assertEquals(name, info.get("name").getAsString());
        assertEquals(extension, info.get("file_extension").getAsString());
        assertEquals(mimetype, info.get("mimetype").getAsString());
        assertEquals(lexer, info.get("pygments_lexer").getAsString());
        assertTrue(info.has("codemirror_mode") && info.has("version") && info.has("nbconvert_exporter"));
    }
}
