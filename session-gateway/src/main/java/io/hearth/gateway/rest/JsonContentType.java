package io.hearth.gateway.rest;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.hearth.gateway.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;

/**
 * Reads a request body as JSON whatever its Content-Type says, as Livy does: {@code curl -d '{...}'} sends
 * {@code application/x-www-form-urlencoded} unless told otherwise, and such a request means JSON all the same. A body
 * declared as something else that is not JSON either (a real form, {@code kind=pyspark}) is refused (415), saying to send
 * JSON; a body declared as JSON (or not declared) that does not parse gets the parser's 400 from {@link LivyRequests}.
 */
final class JsonContentType {

    private JsonContentType() {}

    static void require(Context ctx) {
        String type = ctx.header("Content-Type");
        HandlerType method = ctx.method();
        boolean mayHaveBody = (method.equals(HandlerType.POST) || method.equals(HandlerType.PUT)
                || method.equals(HandlerType.PATCH)) && ctx.contentLength() != 0;
        if (!mayHaveBody || type == null || type.isBlank() || declaresJson(type)) {
            return;
        }
        String body = ctx.body();
        if (!body.isBlank() && !isJson(body)) {
            throw new ApiException(415, "the request body must be JSON, sent with 'Content-Type: application/json'"
                    + " (this request says '" + type + "' and its body is not JSON)");
        }
    }

    private static boolean declaresJson(String type) {
        String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") || mime.endsWith("+json") || mime.equals("text/json");
    }

    /** One JSON value and nothing after it, read as strictly as {@link LivyRequests} reads bodies. */
    private static boolean isJson(String body) {
        try (JsonReader reader = new JsonReader(new StringReader(body))) {
            reader.setStrictness(Strictness.STRICT);
            reader.skipValue();
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            return false;
        }
    }
}
