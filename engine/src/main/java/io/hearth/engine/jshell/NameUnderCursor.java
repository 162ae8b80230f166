package io.hearth.engine.jshell;

/** Where the Java name under a cursor ends: past its last letter, and past a {@code (} that follows it. */
final class NameUnderCursor {

    private NameUnderCursor() {
    }

    /**
     * The code-point position just after the name that {@code cursor} (a code-point index) is in or right after,
     * including an opening parenthesis that follows it (spaces between allowed); {@code cursor} itself when it is not
     * at a name.
     */
    static int end(String cell, int cursor) {
        int at = cell.offsetByCodePoints(0, Math.min(cursor, cell.codePointCount(0, cell.length())));
        int end = at;
        while (end < cell.length() && Character.isJavaIdentifierPart(cell.codePointAt(end))) {
            end += Character.charCount(cell.codePointAt(end));
        }
        boolean atName = end > at || (at > 0 && Character.isJavaIdentifierPart(cell.codePointBefore(at)));
        if (!atName) {
            return cursor;
        }
        int paren = end;
        while (paren < cell.length() && (cell.charAt(paren) == ' ' || cell.charAt(paren) == '\t')) {
            paren++;
        }
        if (paren < cell.length() && cell.charAt(paren) == '(') {
            end = paren + 1;
        }
        return cell.codePointCount(0, end);
    }
}
