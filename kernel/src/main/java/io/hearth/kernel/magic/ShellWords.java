package io.hearth.kernel.magic;

import java.util.ArrayList;
import java.util.List;

/** Splits a magic's argument text into words as a POSIX shell does: blanks separate, quotes and backslashes group. */
public final class ShellWords {

    private ShellWords() {
    }

    /** The words of {@code text}; {@code 'single'} quotes keep everything, {@code "double"} ones honour {@code \"}. */
    public static List<String> split(String text) throws MagicSyntaxException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new MagicSyntaxException("unclosed ' quote in: " + text);
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a double-quoted part starting after its quote; returns the index after the closing quote. */
    private static int doubleQuoted(String text, int from, StringBuilder word) throws MagicSyntaxException {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            // As in sh: inside double quotes a backslash escapes only ", \, $ and `.
            if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new MagicSyntaxException("unclosed \" quote in: " + text);
    }
}
