package io.hearth.kernel.magic;

import io.hearth.kernel.livy.StatementKind;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides which language a cell's code is in: the kernel's own, or the one a language cell magic
 * names ({@code %%sql}, {@code %%scala}, {@code %%pyspark}, {@code %%java}, by {@link Magic#bodyKind()}). Running,
 * completion, inspection and {@code is_complete} all ask it, so Tab in a {@code %%sql} cell completes SQL.
 */
public final class CellLanguage {

    /**
     * The code of a cell, in one language.
     *
     * @param kind   its language
     * @param text   the code itself (a language magic's body)
     * @param offset where the code starts in the cell, in code points (Jupyter's cursors count code points)
     */
    public record Code(StatementKind kind, String text, int offset) {}

    /** IPython's {@code name?} ({@code detail} 0) or {@code name??} (1): a cell asking for a name's documentation. */
    public record HelpRequest(String name, int detail) {}

    // `name?` or `name??` alone in a cell, as in IPython: a dotted name, no call.
    private static final Pattern HELP = Pattern.compile("\\s*([\\p{L}_][\\p{L}\\p{N}_.]*)(\\?\\??)\\s*");

    private final Magics magics;
    private final StatementKind kernelKind;

    /** The languages of cells of a kernel of {@code kernelKind} with {@code magics}. */
    public CellLanguage(Magics magics, StatementKind kernelKind) {
        this.magics = magics;
        this.kernelKind = kernelKind;
    }

    /** The language of cells (and of their code between line magics) that no cell magic heads. */
    public StatementKind kernelKind() {
        return kernelKind;
    }

    /** The cell's code and its language; empty for a cell headed by a magic that is not a language (%%info). */
    public Optional<Code> codeOf(String cell) {
        Optional<CellScript.CellMagicLine> line = CellScript.cellMagicLine(cell);
        if (line.isEmpty()) {
            return Optional.of(new Code(kernelKind, cell, 0));
        }
        int start = line.get().bodyStart();
        return magics.find(line.get().name()).flatMap(Magic::bodyKind)
                .map(kind -> new Code(kind, cell.substring(start), cell.codePointCount(0, start)));
    }

    /** The documentation {@code cell} asks for, when it is only {@code name?} or {@code name??}, in any language. */
    public static Optional<HelpRequest> helpRequest(String cell) {
        Matcher m = HELP.matcher(cell);
        return m.matches() ? Optional.of(new HelpRequest(m.group(1), m.group(2).length() - 1)) : Optional.empty();
    }

    /** True when the cell is headed by a magic that is not a language but takes a body ({@code %%configure}). */
    public boolean headedByBodyMagic(String cell) {
        return CellScript.cellMagicLine(cell).flatMap(line -> magics.find(line.name()))
                .filter(magic -> magic.takesBody() && magic.bodyKind().isEmpty()).isPresent();
    }
}
