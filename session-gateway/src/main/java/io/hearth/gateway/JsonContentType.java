package io.hearth.gateway;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Locale;

/**
 * Refuses (415) a request body declared as something other than JSON, such as the form encoding {@code curl -d} sends
 * by default: reading it as JSON anyway would give a confusing parse error instead of saying what to fix. A body
 * without a Content-Type is read as JSON, as Livy does.
 */
final class JsonContentType {

    private JsonContentType() {}

    static void require(Context ctx) {
        String type = ctx.header("Content-Type");
        HandlerType method = ctx.method();
        boolean mayHaveBody = (method.equals(HandlerType.POST) || method.equals(HandlerType.PUT)
                || method.equals(HandlerType.PATCH)) && ctx.contentLength() != 0;
        if (!mayHaveBody || type == null || type.isBlank()) {
            return;
        }
        String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json") && !mime.endsWith("+json") && !mime.equals("text/json")) {
            throw new ApiException(415, "the request body must be JSON, sent with 'Content-Type: application/json'"
                    + " (this request says '" + type + "')");
        }
    }
}
