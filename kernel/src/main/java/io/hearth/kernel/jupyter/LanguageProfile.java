package io.hearth.kernel.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** What {@code kernel_info_reply}'s {@code language_info} says for one Hearth kind. */
public record LanguageProfile(String name, String version, String mimetype, String fileExtension,
                              JsonElement codemirrorMode, String pygmentsLexer, String nbconvertExporter,
                              String displayName) {

    /** The profile of {@code kind} ({@code pyspark}, {@code spark}, {@code sql} or {@code java}). */
    public static LanguageProfile forKind(String kind) {
        return switch (kind) {
            case "pyspark" -> {
                JsonObject ipython = new JsonObject();
                ipython.addProperty("name", "ipython");
                ipython.addProperty("version", 3);
                yield new LanguageProfile("python", "3", "text/x-python", ".py", ipython, "ipython3", "python",
                        "PySpark");
            }
            case "spark" -> new LanguageProfile("scala", "2.13", "text/x-scala", ".scala",
                    new JsonPrimitive("text/x-scala"), "scala", "script", "Spark (Scala)");
            case "sql" -> new LanguageProfile("sql", "Spark SQL", "application/sql", ".sql",
                    new JsonPrimitive("text/x-sparksql"), "sql", "script", "Spark SQL");
            case "java" -> new LanguageProfile("java", Runtime.version().feature() + "", "text/x-java", ".java",
                    new JsonPrimitive("text/x-java"), "java", "script", "Spark (Java)");
            default -> throw new IllegalArgumentException("unknown kind '" + kind
                    + "': use pyspark, spark, sql or java");
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
