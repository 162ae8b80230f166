package io.hearth.engine.table;

import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ResultTable} as the ASCII table {@code df.show()} prints, cells cut at 20 characters as there. */
public final class TextTable {

    static final int MAX_CELL_CHARS = 20;

    private TextTable() {
    }

    /** The table, then a line saying how many rows were left out, if any; "" for a result without columns. */
    public static String render(ResultTable table) {
        return render(table, table.truncationNote());
    }

    /** @param note what to say when rows were left out, in the caller's words */
    static String render(ResultTable table, String note) {
        List<String> header = table.columnNames();
        if (header.isEmpty()) {
            return "";
        }
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            cells.add(row.stream().map(v -> cut(CellText.of(v))).toList());
        }
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, cut(header.get(c)).length());
            for (List<String> row : cells) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder line = new StringBuilder("+");
        for (int w : widths) {
            line.append("-".repeat(w)).append('+');
        }
        StringBuilder out = new StringBuilder();
        out.append(line).append('\n');
        appendRow(out, header.stream().map(TextTable::cut).toList(), widths);
        out.append(line).append('\n');
        for (List<String> row : cells) {
            appendRow(out, row, widths);
        }
        out.append(line).append('\n');
        if (table.truncated()) {
            out.append(note).append('\n');
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            out.append(" ".repeat(widths[c] - cell.length())).append(cell).append('|');
        }
        out.append('\n');
    }

    private static String cut(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_CELL_CHARS ? oneLine : oneLine.substring(0, MAX_CELL_CHARS - 3) + "...";
    }
}
