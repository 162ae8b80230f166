package io.hearth.gateway.session;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes a JSON string whose text is given in pieces, without joining them: a statement's printed output can be tens
 * of megabytes, kept as the pieces it arrived in. Escapes as Gson does without HTML escaping.
 */
public final class JsonText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Writes {@code "pieces..."} up to piece {@code endPiece} (exclusive), then {@code endChars} of that piece. */
    public static void write(Writer out, List<String> pieces, int endPiece, int endChars) throws IOException {
        out.write('"');
        for (int i = 0; i < endPiece; i++) {
            escape(out, pieces.get(i), pieces.get(i).length());
        }
        if (endPiece < pieces.size()) {
            escape(out, pieces.get(endPiece), endChars);
        }
        out.write('"');
    }

    /** Writes {@code "pieces..."}: all of them. */
    public static void write(Writer out, List<String> pieces) throws IOException {
        write(out, pieces, pieces.size(), 0);
    }

    /** The characters of the pieces once joined. */
    public static long length(List<String> pieces) {
        long n = 0;
        for (String p : pieces) {
            n += p.length();
        }
        return n;
    }

    private static void escape(Writer out, String s, int end) throws IOException {
        int run = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            String replacement = replacement(c);
            if (replacement != null) {
                out.write(s, run, i - run);
                out.write(replacement);
                run = i + 1;
            }
        }
        out.write(s, run, end - run);
    }

    private static String replacement(char c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
            return null;
        }
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> new String(new char[] {'\\', 'u', HEX[c >> 12], HEX[(c >> 8) & 0xf], HEX[(c >> 4) & 0xf],
                    HEX[c & 0xf]});
        };
    }
}
