package io.hearth.gateway.auth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP calls to a gateway with whatever headers a test's caller sends, and the answers with their headers. */
final class Http {

    /** One answer: status, headers and the body parsed as JSON (null when empty). */
    record Reply(int status, HttpHeaders headers, JsonElement body) {
        JsonObject json() {
            return body.getAsJsonObject();
        }

        String msg() {
            return json().get("msg").getAsString();
        }
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(String base) {
        this.base = base;
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put(name, value);
        return out;
    }

    Reply get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    Reply post(String path, Map<String, String> headers, String body) {
        return send("POST", path, headers, body);
    }

    Reply delete(String path, Map<String, String> headers) {
        return send("DELETE", path, headers, null);
    }

    Reply send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            // Only JSON answers are parsed: /metrics and /openapi.yaml speak text.
            boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            return new Reply(r.statusCode(), r.headers(),
                    r.body().isEmpty() || !json ? null : JsonParser.parseString(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
