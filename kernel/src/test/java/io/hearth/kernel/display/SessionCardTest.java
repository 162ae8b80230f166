package io.hearth.kernel.display;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.hearth.kernel.livy.RemoteSession;
import io.hearth.kernel.livy.WireJson;
import org.junit.jupiter.api.Test;

/**
 * The session card says whether the engine came warm from the gateway's pool, warming (pooled but still starting) or
 * started cold, and how long the start took, from the session JSON's {@code start} field (parsed as the kernel's
 * client parses it); a gateway without the field gets a card that says neither.
 */
class SessionCardTest {

    private static JsonObject card(String startJson) {
        String json = "{\"id\": 3, \"state\": \"idle\", \"kind\": \"pyspark\", \"appId\": \"local-1\""
                + (startJson == null ? "" : ", \"start\": " + startJson) + "}";
        return SessionCard.of(WireJson.parse(json, RemoteSession.class), "http://gw");
    }

    @Test
    void aWarmStartShowsWarmAndItsTime() {
        JsonObject card = card("{\"mode\": \"warm\", \"millis\": 412}");
        assertTrue(card.get("text/plain").getAsString().startsWith("Spark session 3 started (warm, 0.4 s): "),
                card.toString());
        assertTrue(card.get("text/html").getAsString().contains("<th>Start</th>"), card.toString());
        assertTrue(card.get("text/html").getAsString().contains("<td>warm, 0.4 s</td>"), card.toString());
    }

    @Test
    void aStartOnAPooledEngineThatWasStillStartingShowsWarmingAndItsTime() {
        JsonObject card = card("{\"mode\": \"warming\", \"millis\": 6140}");
        assertTrue(card.get("text/plain").getAsString().startsWith("Spark session 3 started (warming, 6.1 s): "),
                card.toString());
        assertTrue(card.get("text/html").getAsString().contains("<td>warming, 6.1 s</td>"), card.toString());
    }

    @Test
    void aColdStartWhoseTimeIsNotKnownYetShowsColdAlone() {
        JsonObject card = card("{\"mode\": \"cold\", \"millis\": null}");
        assertTrue(card.get("text/plain").getAsString().startsWith("Spark session 3 started (cold): "), card.toString());
    }

    @Test
    void aGatewayWithoutTheStartFieldGetsACardThatSaysNeither() {
        JsonObject card = card(null);
        assertTrue(card.get("text/plain").getAsString().startsWith("Spark session 3 started: application local-1"),
                card.toString());
        assertFalse(card.get("text/html").getAsString().contains("Start"), card.toString());
    }
}
