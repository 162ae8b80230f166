package io.hearth.kernel.jupyter;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Answers {@code is_complete_request} in the kernel itself, from a scan of brackets, strings and comments (no
 * interpreter round trip, so consoles stay responsive and need no session). The rules per kind:
 * <ul>
 * <li>Python: incomplete inside brackets or a triple-quoted string, after a trailing backslash or colon, and inside
 * an indented block until a blank line ends it; invalid on a closing bracket that does not match or a
 * single-quoted string left open at a line's end.</li>
 * <li>Scala and Java: incomplete inside brackets, a block comment or a triple-quoted string; invalid on a mismatched
 * closing bracket or an unterminated string or character literal on one line.</li>
 * <li>SQL: as in SQL shells, complete only once the text ends with {@code ;}; invalid on a mismatched {@code )}.</li>
 * </ul>
 */
public final class CompletenessCheck {

    /** The answer: {@code status} and, for {@code incomplete}, the indent of the next line. */
    public record Verdict(String status, String indent) {
        static Verdict complete() {
            return new Verdict("complete", "");
        }

        static Verdict incomplete(String indent) {
            return new Verdict("incomplete", indent);
        }

        static Verdict invalid() {
            return new Verdict("invalid", "");
        }
    }

    private enum Syntax { PYTHON, C_LIKE, SQL }

    private final Syntax syntax;

    /** A check for the language of {@code kind}. */
    public CompletenessCheck(String kind) {
        this.syntax = switch (kind) {
            case "pyspark" -> Syntax.PYTHON;
            case "sql" -> Syntax.SQL;
            default -> Syntax.C_LIKE;
        };
    }

    /** Whether {@code code} is ready to run. */
    public Verdict check(String code) {
        if (code.isBlank()) {
            return Verdict.complete();
        }
        Scan scan = new Scan(code, syntax);
        if (scan.invalid) {
            return Verdict.invalid();
        }
        if (scan.inLongString || scan.inBlockComment || !scan.brackets.isEmpty()) {
            return Verdict.incomplete(syntax == Syntax.PYTHON ? "" : "  ");
        }
        return switch (syntax) {
            case PYTHON -> python(code, scan);
            case SQL -> scan.lastSignificant == ';' ? Verdict.complete() : Verdict.incomplete("");
            case C_LIKE -> Verdict.complete();
        };
    }

    private static Verdict python(String code, Scan scan) {
        if (scan.lastSignificant == '\\') {
            return Verdict.incomplete(indentOf(lastLine(code)));
        }
        String last = lastLine(code);
        String indent = indentOf(last);
        if (scan.lastSignificant == ':') {
            return Verdict.incomplete(indent + "    ");
        }
        // Inside an indented block, a console waits for an empty line before running it.
        boolean multiLine = code.stripTrailing().contains("\n");
        if (multiLine && !indent.isEmpty() && !code.endsWith("\n\n")) {
            return Verdict.incomplete(indent);
        }
        return Verdict.complete();
    }

    private static String lastLine(String code) {
        String trimmed = code.stripTrailing();
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    private static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }

    /** One pass over the code: open brackets, whether it ends inside a string or comment, its last code character. */
    private static final class Scan {
        final Deque<Character> brackets = new ArrayDeque<>();
        boolean invalid;
        boolean inLongString;
        boolean inBlockComment;
        char lastSignificant;

        Scan(String code, Syntax syntax) {
            int i = 0;
            int n = code.length();
            while (i < n && !invalid) {
                char c = code.charAt(i);
                if (syntax == Syntax.PYTHON && c == '#' || syntax != Syntax.PYTHON && code.startsWith("//", i)
                        || syntax == Syntax.SQL && code.startsWith("--", i)) {
                    i = lineEnd(code, i);
                } else if (syntax != Syntax.PYTHON && code.startsWith("/*", i)) {
                    int end = code.indexOf("*/", i + 2);
                    inBlockComment = end < 0;
                    i = end < 0 ? n : end + 2;
                } else if (isQuote(c, syntax)) {
                    i = string(code, i, syntax);
                    lastSignificant = c;
                } else if (c == '\\' && syntax == Syntax.PYTHON && code.substring(i + 1).isBlank()) {
                    lastSignificant = c;
                    i = n;
                } else {
                    bracket(c);
                    if (!Character.isWhitespace(c)) {
                        lastSignificant = c;
                    }
                    i++;
                }
            }
        }

        private static boolean isQuote(char c, Syntax syntax) {
            return c == '"' || c == '\'' || syntax == Syntax.SQL && c == '`';
        }

        private void bracket(char c) {
            switch (c) {
                case '(', '[', '{' -> brackets.push(c);
                case ')', ']', '}' -> {
                    char open = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (brackets.isEmpty() || brackets.pop() != open) {
                        invalid = true;
                    }
                }
                default -> { }
            }
        }

        /** Skips the string starting at {@code start}; returns the index after it. */
        private int string(String code, int start, Syntax syntax) {
            char quote = code.charAt(start);
            String triple = String.valueOf(quote).repeat(3);
            boolean tripleAllowed = syntax != Syntax.SQL && (quote == '"' || syntax == Syntax.PYTHON);
            if (tripleAllowed && code.startsWith(triple, start)) {
                int end = indexOfUnescaped(code, triple, start + 3, syntax != Syntax.C_LIKE || quote == '"');
                inLongString = end < 0;
                return end < 0 ? code.length() : end + 3;
            }
            int i = start + 1;
            while (i < code.length()) {
                char c = code.charAt(i);
                if (c == '\\' && syntax != Syntax.SQL) {
                    i += 2;
                } else if (c == quote) {
                    if (syntax == Syntax.SQL && i + 1 < code.length() && code.charAt(i + 1) == quote) {
                        i += 2; // '' inside a SQL string is an escaped quote
                    } else {
                        return i + 1;
                    }
                } else if (c == '\n' && syntax != Syntax.SQL) {
                    invalid = true; // Python, Scala and Java strings end on their line
                    return i;
                } else {
                    i++;
                }
            }
            if (syntax == Syntax.SQL) {
                inLongString = true; // SQL strings may span lines
            } else {
                invalid = true;
            }
            return code.length();
        }

        private static int indexOfUnescaped(String code, String token, int from, boolean escapes) {
            int i = from;
            while (i < code.length()) {
                if (escapes && code.charAt(i) == '\\') {
                    i += 2;
                } else if (code.startsWith(token, i)) {
                    return i;
                } else {
                    i++;
                }
            }
            return -1;
        }

        private static int lineEnd(String code, int from) {
            int end = code.indexOf('\n', from);
            return end < 0 ? code.length() : end;
        }
    }
}
