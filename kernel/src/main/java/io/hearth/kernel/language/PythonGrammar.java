package io.hearth.kernel.language;

import java.util.List;
import java.util.Set;

/**
 * Python's token rules, which catch what ipykernel's parser calls invalid in the common cases: an operator without
 * its right operand ({@code x = = 1}, {@code x = 1 +} at a line's end, {@code f(a=)}), a {@code .} not followed by a
 * name ({@code x.}), two operands side by side ({@code print x}, {@code f() 2}), and a keyword that cannot end a
 * line ({@code else}, {@code import}). Anything subtler is left to the interpreter, which reports it when the cell
 * runs. A block is complete at a blank line, as in consoles; a line ending in {@code :} or a decorator asks for more.
 */
final class PythonGrammar implements Grammar {

    private static final String BLOCK_INDENT = "    ";
    private static final Token END = new Token(Token.Type.LINE_END, "");
    // `*` and `/` are missing: `def f(*, a, /)` and `from m import *` use them without operands.
    private static final Set<String> NEEDS_OPERAND = Set.of("=", "==", "!=", "<", ">", "<=", ">=", "+=", "-=", "*=",
            "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**=", ":=", "//", "%", "@", "<<", ">>", "&", "|",
            "^", "->", "**", "+", "-", "~");
    // `*`, `**`, `+`, `-`, `~` and `...` can start an operand.
    private static final Set<String> CANNOT_START = Set.of("=", "==", "!=", "<", ">", "<=", ">=", "+=", "-=", "*=",
            "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**=", ":=", "/", "//", "%", "@", "<<", ">>", "&",
            "|", "^", "->", ".", ":");
    private static final Set<String> OPERATOR_WORDS = Set.of("and", "or", "not", "in", "is");
    private static final Set<String> CANNOT_END_LINE = Set.of("and", "or", "not", "in", "is", "if", "elif", "else",
            "while", "for", "with", "assert", "del", "import", "from", "lambda", "await", "global", "nonlocal", "class",
            "def", "as", "async", "except", "try", "finally");
    private static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
            "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
            "with", "yield");
    // Keywords only in some places (`match x:`), so a name beside them proves nothing.
    private static final Set<String> SOFT_KEYWORDS = Set.of("match", "case", "type");
    private static final Set<String> VALUE_KEYWORDS = Set.of("True", "False", "None");

    @Override
    public boolean invalid(List<Token> tokens) {
        return firstInvalid(tokens) >= 0;
    }

    /** The index of the first token of the first pair that can never stand together, or -1. */
    int firstInvalid(List<Token> tokens) {
        for (int k = 0; k < tokens.size(); k++) {
            Token before = k > 0 ? tokens.get(k - 1) : null;
            Token a = tokens.get(k);
            Token b = k + 1 < tokens.size() ? tokens.get(k + 1) : END;
            boolean needsOperand = a.type() == Token.Type.OPERATOR && NEEDS_OPERAND.contains(a.text())
                    || a.type() == Token.Type.WORD && OPERATOR_WORDS.contains(a.text());
            if (needsOperand && startsNothing(b)
                    || a.type() == Token.Type.WORD && CANNOT_END_LINE.contains(a.text())
                            && b.type() == Token.Type.LINE_END
                    || a.isOperator(".") && !isRelativeImport(before) && b.type() != Token.Type.WORD
                    || endsOperand(a) && !isRelativeImport(before) && startsOperand(b, a)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean startsNothing(Token b) {
        return switch (b.type()) {
            case CLOSE, COMMA, SEMICOLON, LINE_END -> true;
            case OPERATOR -> CANNOT_START.contains(b.text());
            default -> false;
        };
    }

    /** {@code from . import x}, {@code from ..pkg import y}: dots with no name before them. */
    private static boolean isRelativeImport(Token before) {
        return before != null && (before.isWord("from") || before.isOperator(".") || before.isOperator("..."));
    }

    private static boolean endsOperand(Token t) {
        return switch (t.type()) {
            case NUMBER, STRING, CLOSE -> true;
            case WORD -> isName(t) || VALUE_KEYWORDS.contains(t.text());
            case OPERATOR -> t.text().equals("..."); // Ellipsis
            default -> false;
        };
    }

    private static boolean startsOperand(Token t, Token previous) {
        return switch (t.type()) {
            case NUMBER -> true;
            case OPERATOR -> t.text().equals("...");
            case STRING -> previous.type() != Token.Type.STRING; // "a" "b" is one string
            case WORD -> isName(t) || VALUE_KEYWORDS.contains(t.text());
            default -> false;
        };
    }

    private static boolean isName(Token t) {
        return !KEYWORDS.contains(t.text()) && !SOFT_KEYWORDS.contains(t.text());
    }

    @Override
    public CompletenessCheck.Verdict ending(String code, List<Token> tokens) {
        String last = lastLine(code);
        String indent = indentOf(last);
        int end = tokens.size() - 1;
        if (tokens.get(end).type() == Token.Type.LINE_END) {
            end--;
        }
        int start = end;
        while (start > 0 && tokens.get(start - 1).type() != Token.Type.LINE_END) {
            start--;
        }
        if (tokens.get(end).isOperator(":")) {
            return CompletenessCheck.Verdict.incomplete(indent + BLOCK_INDENT);
        }
        if (tokens.get(start).isOperator("@")) {
            return CompletenessCheck.Verdict.incomplete(indent); // a decorator waits for its def or class
        }
        // Inside an indented block, a console waits for an empty line before running it.
        if (opensBlock(tokens) && !indent.isEmpty() && !code.endsWith("\n\n")) {
            return CompletenessCheck.Verdict.incomplete(indent);
        }
        return CompletenessCheck.Verdict.complete();
    }

    /** True when a logical line ends in {@code :}, so indented lines after it are a block's body. */
    private static boolean opensBlock(List<Token> tokens) {
        for (int k = 1; k < tokens.size(); k++) {
            if (tokens.get(k).type() == Token.Type.LINE_END && tokens.get(k - 1).isOperator(":")) {
                return true;
            }
        }
        return false;
    }

    /** The last line that is not blank. */
    static String lastLine(String code) {
        String trimmed = code.stripTrailing();
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }
}
