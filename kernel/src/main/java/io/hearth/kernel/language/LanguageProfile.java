package io.hearth.kernel.language;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.hearth.kernel.livy.StatementKind;

/** What {@code kernel_info_reply}'s {@code language_info} says for one Hearth kind. */
public record LanguageProfile(String name, String version, String mimetype, String fileExtension,
                              JsonElement codemirrorMode, String pygmentsLexer, String nbconvertExporter,
                              String displayName) {

    /** The profile of {@code kind}'s language. */
    public static LanguageProfile forKind(StatementKind kind) {
        return switch (kind) {
            case PYSPARK -> {
                JsonObject ipython = new JsonObject();
                ipython.addProperty("name", "ipython");
                ipython.addProperty("version", 3);
                yield new LanguageProfile("python", "3", "text/x-python", ".py", ipython, "ipython3", "python",
                        "PySpark");
            }
            case SPARK -> new LanguageProfile("scala", "2.13", "text/x-scala", ".scala",
                    new JsonPrimitive("text/x-scala"), "scala", "script", "Spark (Scala)");
            case SQL -> new LanguageProfile("sql", "Spark SQL", "application/sql", ".sql",
                    new JsonPrimitive("text/x-sparksql"), "sql", "script", "Spark SQL");
            case JAVA -> new LanguageProfile("java", Runtime.version().feature() + "", "text/x-java", ".java",
                    new JsonPrimitive("text/x-java"), "java", "script", "Spark (Java)");
        };
    }

    /** The {@code language_info} object. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("version", version);
        o.addProperty("mimetype", mimetype);
        o.addProperty("file_extension", fileExtension);
        o.add("codemirror_mode", codemirrorMode.deepCopy());
        o.addProperty("pygments_lexer", pygmentsLexer);
        o.addProperty("nbconvert_exporter", nbconvertExporter);
        return o;
    }
}
