package io.hearth.kernel.display;

import java.util.List;

/** The kernel's one way of writing text into HTML it makes: escaping, links and tables. */
public final class Html {

    private Html() {
    }

    /** {@code text} with {@code & < > " '} escaped, safe inside elements and quoted attributes; empty for null. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A link to {@code url} (http(s) only; anything else is shown as text), or empty for null. */
    public static String link(String url, String label) {
        if (url == null || url.isBlank()) {
            return "";
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            return escape(url);
        }
        return "<a href=\"" + escape(url) + "\" target=\"_blank\">" + escape(label) + "</a>";
    }

    /** A table with {@code header} and {@code rows}, whose cells are HTML already. */
    public static String table(List<String> header, List<List<String>> rows) {
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
}
