package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import java.util.List;

/**
 * One event of a statement's stream: {@code output}, {@code display}, {@code progress}, {@code warning}, {@code state}
 * or the final {@code result}.
 *
 * @param id   per statement, increasing from 1; gaps are progress events replaced by a later one
 * @param type the SSE event name
 * @param data the payload; null for {@code result}, whose data is the statement's Livy JSON, rendered when it is sent
 */
public record StatementEvent(long id, String type, Data data) {

    static final String OUTPUT = "output";
    static final String DISPLAY = "display";
    static final String PROGRESS = "progress";
    static final String WARNING = "warning";
    static final String STATE = "state";
    static final String RESULT = "result";

    /** What an event carries; the REST layer gives each its JSON shape. */
    public sealed interface Data permits OutputData, DisplayData, ProgressData, StatementWarning, StateData {}

    /** {@code output}: text printed on one stream. */
    public record OutputData(String stream, String text) implements Data {}

    /** {@code display}: a rich value shown while the statement runs. */
    public record DisplayData(JsonObject data) implements Data {}

    /** {@code progress}: Livy's progress (never decreasing) and the statement's Spark jobs. */
    public record ProgressData(double progress, List<SparkJob> jobs) implements Data {}

    /** {@code state}: the statement's new Livy state. */
    public record StateData(String state) implements Data {}

    public boolean isResult() {
        return RESULT.equals(type);
    }
}
