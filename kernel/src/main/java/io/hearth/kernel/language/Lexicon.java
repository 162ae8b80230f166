package io.hearth.kernel.language;

import java.util.Comparator;
import java.util.List;

/** The lexical conventions of each kernel language: comments, and how operators are cut (strings are in {@link Lexer}). */
enum Lexicon {
    PYTHON("#", false, false, List.of("**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=",
            "==", "!=", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "@", "&", "|",
            "^", "~", "<", ">", "=", ".", ":", "!")),
    // Scala's operators are identifiers made of any run of operator characters, so they are cut by maximal munch.
    SCALA("//", true, true, List.of()),
    JAVA("//", true, false, List.of(">>>=", "<<=", ">>=", ">>>", "...", "->", "::", "++", "--", "&&", "||", "==", "!=",
            "<=", ">=", "+=", "-=", "*=", "/=", "&=", "|=", "^=", "%=", "<<", ">>", "+", "-", "*", "/", "%", "&", "|",
            "^", "~", "!", "<", ">", "=", ".", ":", "?", "@")),
    SQL("--", true, true, List.of("<=>", ">>>", "<>", "!=", "==", ">=", "<=", "||", "&&", "::", "->", "=>", "<<", ">>",
            "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", ".", ":", "?"));

    /** Scala's operator characters. */
    static final String SCALA_OPERATOR_CHARS = "!#%&*+-/:<=>?@\\^|~";

    private final String lineComment;
    private final boolean blockComments;
    private final boolean nestedBlockComments;
    private final List<String> operators;

    Lexicon(String lineComment, boolean blockComments, boolean nestedBlockComments, List<String> operators) {
        this.lineComment = lineComment;
        this.blockComments = blockComments;
        this.nestedBlockComments = nestedBlockComments;
        // Longest first, so that the first match is the longest one.
        this.operators = operators.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    String lineComment() {
        return lineComment;
    }

    boolean blockComments() {
        return blockComments;
    }

    boolean nestedBlockComments() {
        return nestedBlockComments;
    }

    /** The fixed operators, longest first; empty for Scala, whose operators are cut by maximal munch. */
    List<String> operators() {
        return operators;
    }
}
