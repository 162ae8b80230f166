package io.hearth.kernel.magic;

import java.util.List;

/** Small HTML and text tables for the magics' own output. */
final class Html {

    private Html() {
    }

    /** {@code text} with HTML's special characters escaped. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** A link to {@code url} (http(s) only; anything else is shown as text), or empty for null. */
    static String link(String url, String label) {
        if (url == null || url.isBlank()) {
            return "";
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            return escape(url);
        }
        return "<a href=\"" + escape(url) + "\" target=\"_blank\">" + escape(label) + "</a>";
    }

    /** A table with {@code header} and {@code rows}, whose cells are HTML already. */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder html = new StringBuilder("<table>\n<thead><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(c).append("</td>"));
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table>").toString();
    }

    /** A plain-text table: columns padded to their widest cell. */
    static String textTable(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, header, widths);
        for (List<String> row : rows) {
            line(text, row, widths);
        }
        return text.toString();
    }

    private static void line(StringBuilder text, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(String.format("%-" + widths[i] + "s", cells.get(i)));
            if (i < cells.size() - 1) {
                line.append("  ");
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
