package io.hearth.kernel.display;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.hearth.kernel.cell.CellSink;
import java.util.UUID;

/**
 * The live progress of a statement's Spark jobs: one display (one {@code display_id}) showing a bar per job, shown
 * at the first progress event, updated in place at most every {@link #MIN_UPDATE_NANOS}, and finalised when the
 * statement ends. After a {@code waiting-for-executors} warning it says "waiting for executors" until a task runs.
 */
public final class ProgressDisplay {

    // Four updates a second: smooth enough to watch, few enough not to flood the frontend.
    static final long MIN_UPDATE_NANOS = 250_000_000L;
    /** The gateway's {@code warning} reason for tasks that found no executor. */
    static final String WAITING_FOR_EXECUTORS = "waiting-for-executors";
    static final String WAITING_LINE = "waiting for executors";

    private final CellSink sink;
    private final String displayId = "hearth-progress-" + UUID.randomUUID();
    private JsonArray jobs = new JsonArray();
    private boolean waiting;
    private boolean shown;
    private boolean dirty;
    private long lastSent;

    /** A progress display that publishes through {@code sink}. */
    public ProgressDisplay(CellSink sink) {
        this.sink = sink;
    }

    /** Takes a {@code progress} event's data ({@code {progress, jobs}}); shows or updates the display when due. */
    public void progress(JsonObject data) {
        JsonElement list = data.get("jobs");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            return;
        }
        jobs = list.getAsJsonArray();
        if (waiting && tasksRun(jobs)) {
            waiting = false;
        }
        dirty = true;
        flush(false);
    }

    /** Takes a {@code warning} event's reason: tasks waiting for executors are shown as such at once. */
    public void warning(String reason) {
        if (WAITING_FOR_EXECUTORS.equals(reason) && !waiting) {
            waiting = true;
            dirty = true;
            flush(true);
        }
    }

    /** Whether any task runs: the executors the display waited for have come. */
    private static boolean tasksRun(JsonArray jobs) {
        for (JsonElement job : jobs) {
            if (number(job.getAsJsonObject(), "active_tasks") > 0) {
                return true;
            }
        }
        return false;
    }

    /** Publishes a pending change once the throttle allows it; {@code force} ignores the throttle. */
    public void flush(boolean force) {
        if (!dirty || (!force && shown && System.nanoTime() - lastSent < MIN_UPDATE_NANOS)) {
            return;
        }
        JsonObject bundle = bundle(jobs, waiting);
        if (shown) {
            sink.updateDisplay(bundle, displayId);
        } else {
            sink.display(bundle, displayId);
            shown = true;
        }
        dirty = false;
        lastSent = System.nanoTime();
    }

    /** The statement ended: the last state the gateway reported goes out, whatever the throttle says. */
    public void finish() {
        flush(true);
    }

    /** The MIME bundle for {@code jobs}: HTML {@code <progress>} bars with a text fallback. */
    static JsonObject bundle(JsonArray jobs, boolean waiting) {
        StringBuilder html = new StringBuilder("<div class=\"hearth-progress\">");
        StringBuilder text = new StringBuilder();
        if (waiting) {
            html.append("<div class=\"hearth-waiting\">&#9888; ").append(WAITING_LINE).append("</div>");
            text.append("! ").append(WAITING_LINE).append('\n');
        }
        html.append("<table>");
        for (JsonElement element : jobs) {
            JsonObject job = element.getAsJsonObject();
            int id = number(job, "job_id");
            String status = job.has("status") ? job.get("status").getAsString() : "";
            int stagesDone = number(job, "completed_stages");
            int stages = number(job, "num_stages");
            int tasksDone = number(job, "completed_tasks");
            int tasks = number(job, "num_tasks");
            int failed = number(job, "failed_tasks");
            String counts = "stages " + stagesDone + "/" + stages + ", tasks " + tasksDone + "/" + tasks
                    + (failed > 0 ? " (" + failed + " failed)" : "");
            html.append("<tr><td>Spark job ").append(id).append("</td><td><progress value=\"").append(tasksDone)
                    .append("\" max=\"").append(Math.max(tasks, 1)).append("\"></progress></td><td>")
                    .append(counts).append("</td><td>").append(Html.escape(status)).append("</td></tr>");
            text.append("Spark job ").append(id).append(" [").append(bar(tasksDone, tasks)).append("] ").append(counts)
                    .append(' ').append(status).append('\n');
        }
        html.append("</table></div>");
        JsonObject bundle = new JsonObject();
        bundle.addProperty("text/plain", text.toString().stripTrailing());
        bundle.addProperty("text/html", html.toString());
        return bundle;
    }

    private static String bar(int done, int total) {
        int width = 20;
        int filled = total <= 0 ? 0 : Math.min(width, done * width / total);
        return "#".repeat(filled) + "-".repeat(width - filled);
    }

    private static int number(JsonObject job, String key) {
        JsonElement value = job.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber() ? value.getAsInt() : 0;
    }
}
