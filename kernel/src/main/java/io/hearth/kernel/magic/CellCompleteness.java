package io.hearth.kernel.magic;

import io.hearth.kernel.language.CompletenessCheck;
import io.hearth.kernel.livy.StatementKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code is_complete} for a whole cell: its code is judged in its own language ({@link CellLanguage}), so a
 * {@code %%sql} cell waits for its {@code ;} as the SQL kernel does. A cell magic without code is ready once written,
 * or, when it takes a body ({@code %%configure}), at a blank line, as in IPython; a language magic waits for its body.
 */
public final class CellCompleteness {

    private final CellLanguage cellLanguage;
    private final Map<StatementKind, CompletenessCheck> checks = new EnumMap<>(StatementKind.class);

    /** Completeness of the cells {@code cellLanguage} reads. */
    public CellCompleteness(CellLanguage cellLanguage) {
        this.cellLanguage = cellLanguage;
        for (StatementKind kind : StatementKind.values()) {
            checks.put(kind, new CompletenessCheck(kind));
        }
    }

    /** Whether {@code cell} is ready to run. */
    public CompletenessCheck.Verdict check(String cell) {
        if (CellLanguage.helpRequest(cell).isPresent()) {
            return new CompletenessCheck.Verdict("complete", ""); // `name?` runs as it is, in every language
        }
        Optional<CellLanguage.Code> code = cellLanguage.codeOf(cell);
        if (code.isPresent()) {
            boolean bodyMissing = code.get().offset() > 0 && code.get().text().isBlank();
            return bodyMissing ? new CompletenessCheck.Verdict("incomplete", "")
                    : checks.get(code.get().kind()).check(code.get().text());
        }
        boolean waiting = cellLanguage.headedByBodyMagic(cell) && !cell.endsWith("\n\n");
        return new CompletenessCheck.Verdict(waiting ? "incomplete" : "complete", "");
    }
}
