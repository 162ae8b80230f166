package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** A test's view of a gateway: plain HTTP calls and JSON answers, as a Livy client sees them. */
final class LivyClient {

    /** One answer: status, the Location header if any, and the body parsed as JSON. */
    record Response(int status, Optional<String> location, JsonElement body) {
        JsonObject json() {
            return body.getAsJsonObject();
        }

        String msg() {
            return json().get("msg").getAsString();
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LivyClient(String base) {
        this.base = base;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** Polls {@code path} until the JSON answer satisfies {@code done}; fails with the last answer after the timeout. */
    JsonObject awaitJson(String path, Predicate<JsonObject> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            Response r = get(path);
            if (r.status() == 200) {
                last = r.json();
                if (done.test(last)) {
                    return last;
                }
            }
            sleep(100);
        }
        return fail("timed out after " + timeout.toSeconds() + " s waiting on " + path + "; last answer: " + last);
    }

    JsonObject awaitSessionState(int id, String state, Duration timeout) {
        return awaitJson("/sessions/" + id, s -> {
            String now = s.get("state").getAsString();
            if (!now.equals(state) && (now.equals("dead") || now.equals("error"))) {
                fail("session " + id + " is " + now + " while waiting for " + state + "; log: " + get("/sessions/" + id
                        + "/log?size=-1").body());
            }
            return now.equals(state);
        }, timeout);
    }

    JsonObject awaitStatementDone(int session, int statement, Duration timeout) {
        return awaitJson("/sessions/" + session + "/statements/" + statement, st -> {
            String s = st.get("state").getAsString();
            return s.equals("available") || s.equals("cancelled");
        }, timeout);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonElement body = r.body().isEmpty() ? null : JsonParser.parseString(r.body());
            return new Response(r.statusCode(), r.headers().firstValue("Location"), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
