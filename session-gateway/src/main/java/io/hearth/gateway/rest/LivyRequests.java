package io.hearth.gateway.rest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.hearth.gateway.batch.BatchSpec;
import io.hearth.gateway.config.Durations;
import io.hearth.gateway.config.SparkMemory;
import io.hearth.gateway.http.ApiException;
import io.hearth.gateway.http.IdOrName;
import io.hearth.gateway.session.Kind;
import io.hearth.gateway.session.SessionSpec;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Livy request bodies into domain records, refusing (400) anything of the wrong shape with a message naming the
 * field, rather than guessing: a client with a typo should learn it from the first answer.
 */
final class LivyRequests {

    /** {@code POST /sessions/{id}/statements}: the code and, when given, the kind to run it as. */
    record StatementRequest(String code, Kind kind) {}

    /** {@code POST /sessions/{id}/completion}: the cursor counts code points, as Jupyter's does. */
    record CompletionRequest(String code, Kind kind, int cursor) {}

    /** {@code POST /sessions/{id}/inspect} (Hearth's, not Livy's): Jupyter's inspect_request over HTTP. */
    record InspectRequest(String code, Kind kind, int cursor, int detailLevel) {}

    /** Livy's {@code POST /sessions} fields; Livy refuses any other, and so does the gateway, naming it. */
    static final List<String> SESSION_FIELDS = List.of("kind", "proxyUser", "jars", "pyFiles", "files",
            "driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors", "archives", "queue",
            "name", "conf", "heartbeatTimeoutInSecond", "ttl", "idleTimeout");
    static final List<String> STATEMENT_FIELDS = List.of("code", "kind");
    static final List<String> BATCH_FIELDS = List.of("file", "className", "args", "proxyUser", "jars", "pyFiles",
            "files", "driverMemory", "driverCores", "executorMemory", "executorCores", "numExecutors", "archives",
            "queue", "name", "conf");
    static final List<String> COMPLETION_FIELDS = List.of("code", "kind", "cursor");
    static final List<String> INSPECT_FIELDS = List.of("code", "kind", "cursor", "detail_level");

    private LivyRequests() {}

    static SessionSpec createSession(String body) {
        return createSession(body, false);
    }

    /** @param allowMasterOverride the operator's {@code hearth.session.allow-master-override} */
    static SessionSpec createSession(String body, boolean allowMasterOverride) {
        JsonObject o = body == null || body.isBlank() ? new JsonObject() : object(body);
        onlyKnownFields(o, SESSION_FIELDS);
        String proxyUser = string(o, "proxyUser");
        if (proxyUser != null && proxyUser.isBlank()) {
            throw ApiException.badRequest("'proxyUser' must name a user");
        }
        String kindText = string(o, "kind");
        Kind kind = kindText == null ? Kind.SHARED : Kind.parse(kindText).orElseThrow(() -> ApiException.badRequest(
                "unknown session kind '" + kindText + "'; valid kinds: " + Kind.describe(List.of(Kind.values()))));
        String name = string(o, "name");
        if (name != null && (name.isBlank() || IdOrName.isNumericId(name) || name.contains("/"))) {
            throw ApiException.badRequest("name must be non-empty, contain no '/' and not be a number"
                    + " (a session path segment may be a name or an id)");
        }
        Map<String, String> conf = stringMap(o, "conf");
        for (String key : SessionSpec.RESERVED_CONF) {
            if (conf.containsKey(key) && !allowMasterOverride) {
                throw ApiException.badRequest("conf may not set " + key + ": the gateway decides where sessions run"
                        + " (an operator can allow it with hearth.session.allow-master-override=true)");
            }
        }
        for (String key : SessionSpec.ENGINE_CONF) {
            if (conf.containsKey(key)) {
                throw ApiException.badRequest("conf may not set " + key + ": the gateway sets it for every engine (a"
                        + " session's engine is one application attempt, which spark-submit waits for)");
            }
        }
        return new SessionSpec(kind, name, proxyUser,
                memory(o, "driverMemory"), positiveInt(o, "driverCores"),
                memory(o, "executorMemory"), positiveInt(o, "executorCores"), positiveInt(o, "numExecutors"),
                string(o, "queue"),
                stringList(o, "jars"), stringList(o, "pyFiles"), stringList(o, "files"), stringList(o, "archives"),
                conf, nonNegativeInt(o, "heartbeatTimeoutInSecond"), duration(o, "ttl"), duration(o, "idleTimeout"),
                null);
    }

    /** {@code POST /batches}: Livy's batch body; {@code file} is required. */
    static BatchSpec createBatch(String body, boolean allowMasterOverride) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the request body must be a JSON object with 'file'");
        }
        JsonObject o = object(body);
        onlyKnownFields(o, BATCH_FIELDS);
        String proxyUser = string(o, "proxyUser");
        if (proxyUser != null && proxyUser.isBlank()) {
            throw ApiException.badRequest("'proxyUser' must name a user");
        }
        String file = string(o, "file");
        if (file == null || file.isBlank()) {
            throw ApiException.badRequest("'file' is required: the application to run (a .py file or a jar)");
        }
        String name = string(o, "name");
        if (name != null && (name.isBlank() || IdOrName.isNumericId(name) || name.contains("/"))) {
            throw ApiException.badRequest("name must be non-empty, contain no '/' and not be a number"
                    + " (a batch path segment may be a name or an id)");
        }
        Map<String, String> conf = stringMap(o, "conf");
        for (String key : SessionSpec.RESERVED_CONF) {
            if (conf.containsKey(key) && !allowMasterOverride) {
                throw ApiException.badRequest("conf may not set " + key + ": the gateway decides where batches run"
                        + " (an operator can allow it with hearth.session.allow-master-override=true)");
            }
        }
        return new BatchSpec(file, string(o, "className"), stringList(o, "args"), proxyUser,
                stringList(o, "jars"), stringList(o, "pyFiles"), stringList(o, "files"), stringList(o, "archives"),
                memory(o, "driverMemory"), positiveInt(o, "driverCores"),
                memory(o, "executorMemory"), positiveInt(o, "executorCores"), positiveInt(o, "numExecutors"),
                string(o, "queue"), name, conf, null);
    }

    /** {@code POST .../cancel} takes no fields; sparkmagic sends {@code {}}, others nothing. */
    static void cancel(String body) {
        if (body != null && !body.isBlank()) {
            onlyKnownFields(object(body), List.of());
        }
    }

    static CompletionRequest completion(String body) {
        return completion(body, COMPLETION_FIELDS);
    }

    private static CompletionRequest completion(String body, List<String> fields) {
        StatementRequest statement = statement(body, fields);
        JsonObject o = object(body);
        int cursor = cursor(o);
        int length = statement.code().codePointCount(0, statement.code().length());
        if (cursor > length) {
            throw ApiException.badRequest("'cursor' is " + cursor + " but 'code' has only " + length + " characters");
        }
        return new CompletionRequest(statement.code(), statement.kind(), cursor);
    }

    /**
     * The position in {@code code} to complete at: a number, or a string of digits, which Livy reads too (Jackson turns
     * {@code "12"} into an int) and which its REST documentation long gave as the field's type.
     */
    private static int cursor(JsonObject o) {
        JsonElement e = field(o, "cursor");
        if (e == null) {
            throw ApiException.badRequest("'cursor' is required: the position in 'code' to complete at");
        }
        if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
            return nonNegativeInt(o, "cursor");
        }
        String text = e.getAsString().strip();
        ApiException notACursor = ApiException.badRequest("'cursor' must be a non-negative integer (a number, or a"
                + " string of digits), not '" + e.getAsString() + "'");
        if (!IdOrName.isNumericId(text)) {
            throw notACursor;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException tooLarge) {
            throw notACursor;
        }
    }

    static InspectRequest inspect(String body) {
        CompletionRequest at = completion(body, INSPECT_FIELDS);
        JsonObject o = object(body);
        int detail = field(o, "detail_level") == null ? 0 : nonNegativeInt(o, "detail_level");
        if (detail > 1) {
            throw ApiException.badRequest("'detail_level' must be 0 or 1, as in Jupyter's inspect_request");
        }
        return new InspectRequest(at.code(), at.kind(), at.cursor(), detail);
    }

    static StatementRequest statement(String body) {
        return statement(body, STATEMENT_FIELDS);
    }

    private static StatementRequest statement(String body, List<String> fields) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the request body must be a JSON object with 'code'");
        }
        JsonObject o = object(body);
        onlyKnownFields(o, fields);
        String code = string(o, "code");
        if (code == null) {
            throw ApiException.badRequest("'code' is required");
        }
        String kindText = string(o, "kind");
        Kind kind = null;
        if (kindText != null) {
            kind = Kind.parse(kindText).filter(k -> k != Kind.SHARED).orElseThrow(() -> ApiException.badRequest(
                    "unknown statement kind '" + kindText + "'; supported: " + Kind.describe(Kind.RUNNABLE)));
        }
        return new StatementRequest(code, kind);
    }

    private static JsonObject object(String body) {
        JsonElement e;
        // Strict: Gson's default leniency would read unquoted words or trailing garbage as if they were JSON.
        try (JsonReader reader = new JsonReader(new StringReader(body))) {
            reader.setStrictness(Strictness.STRICT);
            e = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw ApiException.badRequest("malformed JSON: unexpected content after the JSON value");
            }
        } catch (JsonParseException | IOException | IllegalStateException ex) {
            throw ApiException.badRequest("malformed JSON: " + rootMessage(ex));
        }
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static void onlyKnownFields(JsonObject o, List<String> known) {
        for (String name : o.keySet()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'; "
                        + (known.isEmpty() ? "this request takes none" : "known fields: " + String.join(", ", known)));
            }
        }
    }

    private static JsonElement field(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e;
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return null;
        }
        if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
            throw ApiException.badRequest("'" + name + "' must be a string");
        }
        return e.getAsString();
    }

    /** Livy's duration strings ({@code 10m}, {@code 1h}, {@code 2d}, {@code 30s}, {@code 500ms}); kept as given. */
    private static String duration(JsonObject o, String name) {
        String s = string(o, name);
        if (s != null) {
            try {
                Durations.parse(name, s);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw ApiException.badRequest("'" + name + "' must be a duration like 30s, 10m, 1h or 2d, not '" + s
                        + "'");
            }
        }
        return s;
    }

    private static String memory(JsonObject o, String name) {
        String s = string(o, name);
        if (s != null && !SparkMemory.isValid(s)) {
            throw ApiException.badRequest("'" + name + "' must be a memory size like 512m or 2g, not '" + s + "'");
        }
        return s;
    }

    private static Integer integer(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double d = e.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw ApiException.badRequest("'" + name + "' must be an integer");
    }

    private static Integer positiveInt(JsonObject o, String name) {
        Integer i = integer(o, name);
        if (i != null && i <= 0) {
            throw ApiException.badRequest("'" + name + "' must be positive");
        }
        return i;
    }

    private static int nonNegativeInt(JsonObject o, String name) {
        Integer i = integer(o, name);
        if (i != null && i < 0) {
            throw ApiException.badRequest("'" + name + "' must not be negative");
        }
        return i == null ? 0 : i;
    }

    private static List<String> stringList(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw ApiException.badRequest("'" + name + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : e.getAsJsonArray()) {
            if (!(item.isJsonPrimitive() && item.getAsJsonPrimitive().isString())) {
                throw ApiException.badRequest("'" + name + "' must be a list of strings");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    /** Spark conf values are strings; numbers and booleans are accepted as the text Spark would read anyway. */
    private static Map<String, String> stringMap(JsonObject o, String name) {
        JsonElement e = field(o, name);
        if (e == null) {
            return Map.of();
        }
        if (!e.isJsonObject()) {
            throw ApiException.badRequest("'" + name + "' must be an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
            if (!entry.getValue().isJsonPrimitive()) {
                throw ApiException.badRequest("'" + name + "." + entry.getKey() + "' must be a string");
            }
            JsonPrimitive p = entry.getValue().getAsJsonPrimitive();
            out.put(entry.getKey(), p.getAsString());
        }
        return out;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
