package io.hearth.kernel.language;

/**
 * One token of a cell's code, as far as the completeness rules tell tokens apart.
 *
 * @param type      what kind of token
 * @param text      its text (a string's or number's text is not needed, only that it is one)
 * @param afterHead for a closing bracket: the brackets held the head of {@code if}, {@code while}, {@code for} or
 *                  {@code catch}, so a body must follow
 */
record Token(Type type, String text, boolean afterHead) {

    /** The kinds of token the rules distinguish. */
    enum Type { WORD, NUMBER, STRING, OPERATOR, OPEN, CLOSE, COMMA, SEMICOLON, LINE_END, OTHER }

    Token(Type type, String text) {
        this(type, text, false);
    }

    /** True for the operator {@code op}. */
    boolean isOperator(String op) {
        return type == Type.OPERATOR && text.equals(op);
    }

    /** True for the opening bracket {@code bracket}. */
    boolean isOpen(String bracket) {
        return type == Type.OPEN && text.equals(bracket);
    }

    /** True for the word {@code word} (an identifier or keyword). */
    boolean isWord(String word) {
        return type == Type.WORD && text.equals(word);
    }
}
