package io.hearth.gateway.session;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;

/**
 * A snapshot of one statement of a session: what was run, where it stands, what it printed so far and its result. The
 * printed text, shown values and result are shared with the statement, not copied (they can be tens of megabytes):
 * they are never changed once received.
 *
 * @param streams printed output in order, consecutive chunks of one stream merged
 * @param displays MIME bundles the statement showed while running ({@code display()}, figures), in order
 * @param output  the engine's Livy output object (result bundle or error), null until the statement finishes
 * @param jobs    the latest state of the statement's Spark jobs, as the engine last reported it
 * @param started epoch millis, 0 until it starts
 * @param completed epoch millis, 0 until it finishes
 * @param warnings what the engine reported holding it up (executors it waited for, executors lost), in order
 */
public record Statement(int id, String code, Kind kind, StatementState state, List<StreamText> streams,
                        List<JsonObject> displays, StatementOutput output, double progress, List<SparkJob> jobs,
                        long started, long completed, List<StatementWarning> warnings) {

    /**
     * Text printed on one stream ({@code stdout}, {@code stderr}), as the pieces it arrived in: joining them would copy
     * what may be tens of megabytes, so writers write them one after the other.
     */
    public record StreamText(String name, List<String> parts) {
        public StreamText {
            parts = List.copyOf(parts);
        }

        public StreamText(String name, String text) {
            this(name, List.of(text));
        }
    }

    public Statement {
        streams = List.copyOf(streams);
        jobs = List.copyOf(jobs);
        displays = List.copyOf(displays);
        warnings = List.copyOf(warnings);
    }
}
