package io.hearth.engine.jshell;

import io.hearth.engine.interpreter.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns what JShell reports about a failed snippet into the user's error: compiler diagnostics with their line in the
 * cell, or the user's exception with only the frames of snippet code (never Hearth's or JShell's).
 */
final class SnippetFailures {

    static final String COMPILATION_ERROR = "CompilationError";
    static final String UNRESOLVED_REFERENCE = "UnresolvedReference";

    private SnippetFailures() {
    }

    /** A snippet the compiler rejected; {@code snippetOffset} is where its text starts in the cell. */
    static Outcome.Failure compilation(String cell, int snippetOffset, List<Diag> diagnostics) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : diagnostics) {
            if (!d.isError()) {
                continue;
            }
            long position = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
            int at = snippetOffset + (int) Math.max(0, position);
            int line = CellSnippets.lineOf(cell, at);
            String message = "line " + line + ": " + d.getMessage(Locale.ROOT);
            if (first == null) {
                first = message;
            }
            lines.add(message);
            lines.add("    " + sourceLine(cell, at));
            lines.add("    " + " ".repeat(Math.max(0, column(cell, at))) + "^");
        }
        if (first == null) {
            first = "the snippet was rejected by the compiler";
        }
        return new Outcome.Failure(COMPILATION_ERROR, first, lines);
    }

    /**
     * An exception thrown by the user's code. {@code cellLineBySnippetId} maps the snippets of this cell to the cell
     * line they start on, so frames in them name cell lines; frames in earlier cells name their snippet ({@code #7}).
     */
    static Outcome.Failure exception(JShellException thrown, String unresolvedWhat, Map<String, Integer> cellLineBySnippetId) {
        if (thrown instanceof UnresolvedReferenceException) {
            return new Outcome.Failure(UNRESOLVED_REFERENCE, unresolvedWhat, List.of());
        }
        EvalException e = (EvalException) thrown;
        List<String> traceback = new ArrayList<>();
        traceback.add(header(e));
        appendFrames(e, cellLineBySnippetId, traceback);
        Throwable cause = e.getCause();
        while (cause instanceof EvalException c) {
            traceback.add("Caused by: " + header(c));
            appendFrames(c, cellLineBySnippetId, traceback);
            cause = c.getCause();
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return new Outcome.Failure(e.getExceptionClassName(), message, traceback);
    }

    private static String header(EvalException e) {
        return e.getMessage() == null ? e.getExceptionClassName() : e.getExceptionClassName() + ": " + e.getMessage();
    }

    private static void appendFrames(EvalException e, Map<String, Integer> cellLineBySnippetId, List<String> out) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String file = frame.getFileName();
            // JShell names the source of snippet code "#<snippet id>"; every other frame is a library's or ours.
            if (file == null || !file.startsWith("#")) {
                continue;
            }
            String id = file.substring(1);
            String where = cellLineBySnippetId.containsKey(id)
                    ? "line " + (cellLineBySnippetId.get(id) + Math.max(frame.getLineNumber(), 1) - 1)
                    : "snippet #" + id + ", line " + frame.getLineNumber();
            out.add("    at " + describe(frame) + " (" + where + ")");
        }
    }

    private static String describe(StackTraceElement frame) {
        // JShell has already rewritten snippet frames: the statement itself has no method name, and top-level
        // methods no class name; a method of a class declared in a cell keeps the class's (wrapped) name.
        String method = frame.getMethodName();
        if (method.isEmpty() || method.equals("do_it$")) {
            return "<statement>";
        }
        String klass = frame.getClassName();
        String simple = klass.substring(klass.lastIndexOf('.') + 1).replaceFirst("^\\$JShell\\$[^$]*\\$?", "");
        return simple.isEmpty() ? method : simple + "." + method;
    }

    private static String sourceLine(String cell, int at) {
        int start = cell.lastIndexOf('\n', Math.max(0, Math.min(at, cell.length()) - 1)) + 1;
        int end = cell.indexOf('\n', start);
        return cell.substring(start, end < 0 ? cell.length() : end);
    }

    private static int column(String cell, int at) {
        int start = cell.lastIndexOf('\n', Math.max(0, Math.min(at, cell.length()) - 1)) + 1;
        return Math.min(at, cell.length()) - start;
    }

    /** Names the declarations a snippet waits for, as JShell lists them. */
    static String unresolved(String what, List<String> missing) {
        return what + " cannot be used until " + missing.stream().collect(Collectors.joining(", ")) + " is declared";
    }
}
