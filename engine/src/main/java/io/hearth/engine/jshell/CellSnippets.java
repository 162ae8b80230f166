package io.hearth.engine.jshell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/** Splits a cell into JShell snippets (JShell evaluates one at a time), keeping where each starts in the cell. */
final class CellSnippets {

    /** One snippet's source as JShell wants it, and the offset in the cell where its text begins. */
    record CellSnippet(String source, int offset, boolean complete) {
    }

    private CellSnippets() {
    }

    static List<CellSnippet> split(String cell, SourceCodeAnalysis analysis) {
        List<CellSnippet> snippets = new ArrayList<>();
        String remaining = cell;
        while (!remaining.isBlank()) {
            int offset = cell.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (!completeness.isComplete()) {
                // The rest cannot be completed: hand it to JShell whole so its compiler names the problem.
                snippets.add(new CellSnippet(remaining, skipBlank(cell, offset), false));
                break;
            }
            snippets.add(new CellSnippet(info.source(), skipBlank(cell, offset), true));
            if (info.remaining().length() >= remaining.length()) {
                break;
            }
            remaining = info.remaining();
        }
        return snippets;
    }

    /** 1-based line in the cell of a position inside one of its snippets. */
    static int lineOf(String cell, int offsetInCell) {
        int line = 1;
        for (int i = 0; i < Math.min(offsetInCell, cell.length()); i++) {
            if (cell.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int skipBlank(String cell, int from) {
        int i = from;
        while (i < cell.length() && Character.isWhitespace(cell.charAt(i))) {
            i++;
        }
        return i;
    }
}
