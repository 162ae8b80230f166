package io.hearth.kernel.cell;

import java.util.List;

/** The content of a Jupyter {@code error} message (and of an error {@code execute_reply}). */
public record ErrorContent(String ename, String evalue, List<String> traceback) {

    /** Copies the traceback so the record stays immutable; nulls become empty values. */
    public ErrorContent {
        ename = ename == null ? "Error" : ename;
        evalue = evalue == null ? "" : evalue;
        traceback = traceback == null ? List.of() : List.copyOf(traceback);
    }

    /**
     * An error raised by the kernel itself rather than by the user's code: the traceback is the explanation,
     * line by line (there is no Python frame to show, and a Java stack trace would not help the user).
     */
    public static ErrorContent ofKernel(String ename, String evalue, String... explanation) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add(evalue.isEmpty() ? ename : ename + ": " + evalue);
        lines.addAll(List.of(explanation));
        return new ErrorContent(ename, evalue, lines);
    }
}
