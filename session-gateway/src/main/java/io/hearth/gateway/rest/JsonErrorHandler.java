package io.hearth.gateway.rest;

import com.google.gson.Gson;
import io.hearth.gateway.rest.LivyViews.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (a request it cannot route at all, such as a path with {@code %00} or {@code /../}) answered as
 * {@code {"msg": ...}} like every other error of the API, instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

    private final Gson gson;

    public JsonErrorHandler(Gson gson) {
        this.gson = gson;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        byte[] body = gson.toJson(new Message("the request cannot be served: " + reason))
                .getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // Jetty drops the connection after a request it could not parse; saying so keeps clients from reusing it.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
