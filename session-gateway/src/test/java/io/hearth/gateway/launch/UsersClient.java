package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/** A test's HTTP calls to a gateway with token authentication, each made as one of the users it knows the tokens of. */
final class UsersClient {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, String> tokens;
    private final Duration timeout;

    /** Calls to the gateway at {@code base}; awaiting a state gives up after {@code timeout}. */
    UsersClient(String base, Map<String, String> tokens, Duration timeout) {
        this.base = base;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    /** The same users and patience, against another gateway. */
    UsersClient at(String otherBase) {
        return new UsersClient(otherBase, tokens, timeout);
    }

    /** Creates a session as {@code user} and returns its id. */
    int createSession(String user, String body) throws Exception {
        HttpResponse<String> r = send("POST", "/sessions", user, body);
        assertEquals(201, r.statusCode(), r.body());
        return JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsInt();
    }

    /** Waits until the session is idle; fails at once if it dies. */
    void awaitIdle(int session, String user) throws Exception {
        await("/sessions/" + session, user, s -> {
            assertFalse(s.get("state").getAsString().equals("dead"), "session " + session + " died: " + s);
            return s.get("state").getAsString().equals("idle");
        });
    }

    /** Runs {@code code} in the session and returns its text result; fails with the output if it is not ok. */
    String run(int session, String user, String code) throws Exception {
        JsonObject body = new JsonObject();
        body.addProperty("code", code);
        HttpResponse<String> r = send("POST", "/sessions/" + session + "/statements", user, body.toString());
        assertEquals(201, r.statusCode(), r.body());
        int id = JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsInt();
        JsonObject st = await("/sessions/" + session + "/statements/" + id, user,
                s -> s.get("state").getAsString().equals("available"));
        JsonObject output = st.getAsJsonObject("output");
        assertEquals("ok", output.get("status").getAsString(), st.toString());
        return output.getAsJsonObject("data").get("text/plain").getAsString().strip();
    }

    /** Polls {@code path} as {@code user} until the answer satisfies {@code done}; fails with the last answer. */
    JsonObject await(String path, String user, Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = get(path, user).getAsJsonObject();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting on " + path + ": " + last);
    }

    /** GET as {@code user}, which must answer 200 with JSON. */
    JsonElement get(String path, String user) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", path, user, null);
        assertEquals(200, r.statusCode(), r.body());
        return JsonParser.parseString(r.body());
    }

    HttpResponse<String> send(String method, String path, String user, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + tokens.get(user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
