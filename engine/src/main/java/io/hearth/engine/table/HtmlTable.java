package io.hearth.engine.table;

import java.util.List;

/** Renders a {@link ResultTable} as an HTML table (cells escaped, not cut), with a note when rows were left out. */
public final class HtmlTable {

    private HtmlTable() {
    }

    /** "" for a result without columns. */
    public static String render(ResultTable table) {
        return render(table, table.truncationNote());
    }

    /** @param note what to say when rows were left out, in the caller's words */
    static String render(ResultTable table, String note) {
        List<String> header = table.columnNames();
        if (header.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<table border=\"1\" class=\"dataframe hearth-table\">\n<thead><tr>");
        for (String name : header) {
            out.append("<th>").append(escape(name)).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (List<Object> row : table.rows()) {
            out.append("<tr>");
            for (Object value : row) {
                out.append("<td>").append(escape(CellText.of(value))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (table.truncated()) {
            out.append("<p>").append(escape(note)).append("</p>\n");
        }
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
