package io.hearth.kernel.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.gson.JsonObject;
import io.hearth.kernel.livy.StatementKind;
import io.hearth.kernel.testing.RealGateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.concurrent.Cancellable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway's statement stream reaches the cell's thread without its state events, and nothing else is lost. */
class StatementEventsOnARealGatewayTest {

    @TempDir
    Path temp;

    @Test
    void theCellGetsTheOutputAndTheResultButNotTheStateChanges() throws Exception {
        try (RealGateway real = new RealGateway(temp);
             GatewayClient client = new GatewayClient(real.url())) {
            JsonObject body = new JsonObject();
            body.addProperty("kind", "pyspark");
            int session = client.createSession(body).id();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!client.session(session).isReady()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("session " + session + " did not start in 120 s");
                }
                Thread.sleep(200);
            }
            PostedStatement posted = client.postStatement(session, "print('a')\n1+1", StatementKind.PYSPARK);
            List<String> handedOver = new ArrayList<>();
            try (StatementEvents events = new StatementEvents(client, session, posted,
                    GatewayOutage.withDefaultGrace())) {
                while (handedOver.isEmpty() || !handedOver.get(handedOver.size() - 1).equals("result")) {
                    handedOver.add(assertInstanceOf(StatementEvents.Event.class, events.next(60_000)).event().type());
                }
            }
            assertEquals(List.of("output", "result"), handedOver);

            // The same statement's whole stream has the state changes the cell was spared.
            List<String> all = new ArrayList<>();
            client.events(session, posted.id(), 0, new SseListener() {
                @Override
                public void opened(Cancellable request) {
                }

                @Override
                public void event(SseEvent event) {
                    all.add(event.type());
                }
            });
            assertEquals(List.of("state", "state", "output", "state", "result"), all);
            client.deleteSession(session);
        }
    }
}
