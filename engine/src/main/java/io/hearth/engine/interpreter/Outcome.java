package io.hearth.engine.interpreter;

import com.google.gson.JsonObject;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;

/** What running a statement produced: the MIME bundle of its last expression's value, or the user's error. */
public sealed interface Outcome {

    /** Converts to Livy's output object; the execution count is the runner's, not the interpreter's. */
    StatementOutput toOutput(int executionCount);

    /** The statement ran; {@code data} is the result bundle only (empty when there is no value), never printed text. */
    record Result(JsonObject data) implements Outcome {
        public Result {
            data = data == null ? new JsonObject() : data.deepCopy();
        }

        public static Result empty() {
            return new Result(new JsonObject());
        }

        @Override
        public StatementOutput toOutput(int executionCount) {
            return StatementOutput.ok(executionCount, data.deepCopy());
        }
    }

    /** The statement failed; the traceback holds the user's frames only, one formatted entry per element. */
    record Failure(String ename, String evalue, List<String> traceback) implements Outcome {
        public Failure {
            traceback = List.copyOf(traceback);
        }

        @Override
        public StatementOutput toOutput(int executionCount) {
            return StatementOutput.error(executionCount, ename, evalue, traceback);
        }
    }
}
