package io.hearth.engine.scala;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a Scala cell into the REPL lines it runs as, at boundaries between its top-level statements (which the
 * compiler's parser finds, so a statement spread over lines, with leading dots or an {@code else} on its own line, is
 * never cut).
 *
 * <p>Code that runs while its REPL line starts must not use a class defined in that same line: the class is an inner
 * class of the line's wrapper, and the wrapper's instance, which Spark's encoders fetch as the outer object, exists
 * only once the line has run ({@code EXPRESSION_DECODING_FAILED} otherwise). So a new line begins at each statement of
 * code that follows a class, trait or object of the current line. Definitions never begin one: a class and its
 * companion, a sealed hierarchy and definitions that refer to each other stay one compilation unit, and a cell
 * without classes stays one line, as it always was.
 *
 * <p>Each line keeps its place in the cell (blank lines and spaces stand for the code before it), so the compiler's
 * messages and the statement's stack frames count lines and columns of the cell. As in Spark's shell and Livy, a line
 * that fails ends the cell, and what the lines before it defined stays defined.
 */
final class ScalaCell {

    /** What a top-level statement is, for cutting. */
    enum Kind {
        /** A class, trait or object: code after it in the same line must not use it. */
        TYPE,
        /** A method or type alias: nothing runs when it is defined. */
        MEMBER,
        /** Everything else ({@code val}, {@code var}, {@code import}, expressions): it runs when its line starts. */
        CODE
    }

    /** One top-level statement: its kind and where it is in the cell (character offsets, end exclusive). */
    record TopLevel(Kind kind, int start, int end) {
    }

    private ScalaCell() {
    }

    /**
     * @param statements the cell's top-level statements in order
     * @return the cell's REPL lines in order, each padded to its place in the cell; the cell itself if it needs no cut
     */
    static List<String> lines(String cell, List<TopLevel> statements) {
        List<String> lines = new ArrayList<>();
        int lineStart = 0;
        boolean lineHasType = false;
        for (int i = 0; i < statements.size(); i++) {
            TopLevel statement = statements.get(i);
            if (statement.kind() == Kind.CODE && lineHasType) {
                int cut = cutBefore(cell, statements.get(i - 1).end(), statement.start());
                lines.add(placed(cell, lineStart, cut));
                lineStart = cut;
                lineHasType = false;
            }
            lineHasType |= statement.kind() == Kind.TYPE;
        }
        lines.add(placed(cell, lineStart, cell.length()));
        return lines;
    }

    /**
     * Where the line of the statement at {@code next} begins, given that the previous statement ends at
     * {@code previousEnd}: at the start of the next line when only spaces, semicolons or a line comment follow the
     * previous statement (so comments and annotations above a statement go with it), else where the next text begins.
     */
    private static int cutBefore(String cell, int previousEnd, int next) {
        int i = previousEnd;
        while (i < next && (cell.charAt(i) == ' ' || cell.charAt(i) == '\t' || cell.charAt(i) == ';')) {
            i++;
        }
        if (cell.startsWith("//", i)) {
            i = cell.indexOf('\n', i);
            if (i < 0 || i >= next) {
                return next;
            }
        }
        if (i < next && cell.charAt(i) == '\r') {
            i++;
        }
        if (i < next && cell.charAt(i) == '\n') {
            return i + 1;
        }
        return Math.min(i, next);
    }

    /** The cell's text from {@code start} to {@code end}, after blank lines and spaces that put it where it was. */
    private static String placed(String cell, int start, int end) {
        int lines = 0;
        int lastNewline = -1;
        for (int i = 0; i < start; i++) {
            if (cell.charAt(i) == '\n') {
                lines++;
                lastNewline = i;
            }
        }
        return "\n".repeat(lines) + " ".repeat(start - lastNewline - 1) + cell.substring(start, end);
    }
}
