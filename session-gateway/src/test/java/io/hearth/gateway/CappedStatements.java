package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Duration;

/**
 * Statements that each print nearly the output cap, a text of their own, and the checks that read them back: the
 * workload of {@link GatewayHeapTest} and {@link GatewayHeapBenchmark}.
 */
final class CappedStatements {

    private CappedStatements() {}

    /** Python printing {@link #printed}{@code (n, chars)} on stdout, with no value. */
    static String code(int n, int chars) {
        JsonObject o = new JsonObject();
        o.addProperty("code", "import sys\n_ = sys.stdout.write(('%07d|' % " + n + ") * " + (chars / 8) + ")");
        return o.toString();
    }

    /** What statement {@code n} prints: its number and a bar, over and over, {@code chars} characters rounded down to 8. */
    static String printed(int n, int chars) {
        return String.format("%07d|", n).repeat(chars / 8);
    }

    /** Submits statement {@code n} to the session; answers its id. */
    static int submit(LivyClient livy, int session, int n, int chars) {
        LivyClient.Response r = livy.post("/sessions/" + session + "/statements", code(n, chars));
        assertEquals(201, r.status(), () -> "submitting statement " + n + ": " + r.body());
        return r.json().get("id").getAsInt();
    }

    /**
     * Waits until the statement has finished, failing at once if the gateway ran out of heap, died or the session
     * did: a gateway that holds every output fails here, not after the timeout.
     */
    static void awaitDone(LivyClient livy, GatewayProcess gateway, int session, int statement, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (gateway.output().contains("OutOfMemoryError") || !gateway.handle().isAlive()) {
                fail("the gateway ran out of heap or died before statement " + statement + " of session " + session
                        + " finished:\n" + tail(gateway.output()));
            }
            LivyClient.Response r;
            try {
                r = livy.get("/sessions/" + session + "/statements/" + statement + "?wait=2s");
            } catch (RuntimeException e) {
                fail("the gateway did not answer while statement " + statement + " of session " + session + " ran: "
                        + e + "\n" + tail(gateway.output()));
                return;
            }
            if (r.status() != 200) {
                fail("GET statement " + statement + " of session " + session + ": " + r.status() + " " + r.body()
                        + "\n" + tail(gateway.output()));
            }
            String state = r.json().get("state").getAsString();
            if (state.equals("available") || state.equals("cancelled")) {
                return;
            }
            String sessionState = livy.get("/sessions/" + session).json().get("state").getAsString();
            if (sessionState.equals("dead")) {
                fail("session " + session + " died: " + livy.get("/sessions/" + session + "/log?size=-1").body());
            }
        }
        fail("statement " + statement + " of session " + session + " did not finish within " + timeout);
    }

    /** Checks one statement's Livy JSON: finished, its code, and its text exactly as printed, in Livy's and Hearth's fields. */
    static void check(JsonObject st, int n, int chars) {
        int id = st.get("id").getAsInt();
        assertEquals("available", st.get("state").getAsString(), () -> "statement " + id + ": " + brief(st));
        JsonObject output = st.getAsJsonObject("output");
        assertEquals("ok", output.get("status").getAsString(), () -> "statement " + id + ": " + brief(st));
        assertEquals(com.google.gson.JsonParser.parseString(code(n, chars)).getAsJsonObject().get("code").getAsString(),
                st.get("code").getAsString());
        String expected = printed(n, chars);
        String livy = output.getAsJsonObject("data").get("text/plain").getAsString();
        if (!expected.equals(livy)) {
            fail("statement " + id + " reads back " + livy.length() + " characters, not the " + expected.length()
                    + " it printed: " + brief(st));
        }
        String hearth = st.getAsJsonObject("hearth").getAsJsonArray("streams").get(0).getAsJsonObject().get("text")
                .getAsString();
        assertEquals(expected.length(), hearth.length(), () -> "statement " + id + "'s stdout in hearth.streams");
        assertEquals(expected, hearth);
    }

    private static String brief(JsonObject st) {
        String text = st.toString();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
