package io.hearth.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.cell.CellSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    /** The text of each display the progress display published, in order. */
    private final List<String> shown = new ArrayList<>();
    private final CellSink sink = new CellSink() {
        @Override
        public void stream(String name, String text) {
        }

        @Override
        public void display(JsonObject data, String displayId) {
            shown.add(data.get("text/plain").getAsString());
        }

        @Override
        public void updateDisplay(JsonObject data, String displayId) {
            shown.add(data.get("text/plain").getAsString());
        }
    };

    private static JsonObject progress(int active, int completed) {
        return JsonParser.parseString("{\"progress\": 0, \"jobs\": [{\"job_id\": 0, \"status\": \"RUNNING\","
                + " \"num_stages\": 1, \"completed_stages\": 0, \"num_tasks\": 2, \"completed_tasks\": " + completed
                + ", \"active_tasks\": " + active + ", \"failed_tasks\": 0}]}").getAsJsonObject();
    }

    @Test
    void saysWaitingForExecutorsFromTheWarningUntilATaskRuns() {
        ProgressDisplay display = new ProgressDisplay(sink);
        display.progress(progress(0, 0));
        display.warning("executor-lost");
        assertEquals(1, shown.size(), "a lost executor alone changes nothing in the display: " + shown);

        display.warning("waiting-for-executors");
        assertTrue(shown.get(shown.size() - 1).startsWith("! waiting for executors\nSpark job 0 ["), shown.toString());

        display.progress(progress(0, 0));
        display.finish();
        assertTrue(shown.get(shown.size() - 1).startsWith("! waiting for executors"), "still no task runs");

        display.progress(progress(1, 0));
        display.finish();
        assertFalse(shown.get(shown.size() - 1).contains("waiting"), "a task runs: " + shown.get(shown.size() - 1));
    }
}
