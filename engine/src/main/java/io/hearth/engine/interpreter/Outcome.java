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

        /**
         * This failure with its value and traceback cut to about {@code chars} characters in all (half each), saying
         * so: a user's exception can carry megabytes, and an error must fit one channel message.
         */
        public Failure shortened(int chars) {
            long total = evalue.length() + traceback.stream().mapToLong(String::length).sum();
            if (total <= chars) {
                return this;
            }
            String note = String.format(java.util.Locale.ROOT, "... [cut: the error's text has %,d characters]", total);
            int room = Math.max(0, chars / 2);
            List<String> lines = new java.util.ArrayList<>();
            for (String line : traceback) {
                if (room <= 0) {
                    lines.add(note + "\n");
                    break;
                }
                lines.add(cut(line, room, note));
                room -= line.length();
            }
            return new Failure(ename, cut(evalue, Math.max(0, chars / 2), note), lines);
        }

        private static String cut(String text, int chars, String note) {
            if (text.length() <= chars) {
                return text;
            }
            if (chars <= 0) {
                return note;
            }
            int end = Character.isHighSurrogate(text.charAt(chars - 1)) ? chars - 1 : chars;
            return text.substring(0, end) + note;
        }
    }
}
