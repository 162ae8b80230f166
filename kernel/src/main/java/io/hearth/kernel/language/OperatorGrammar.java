package io.hearth.kernel.language;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The token rules of Scala, Java and SQL: an operator that needs a right operand followed by something that cannot
 * start one ({@code x = = 1}, {@code f(a +)}), or a {@code .} followed by something that cannot be a member, is
 * invalid. Scala and Java code is complete unless it ends where more must follow (an operator, a keyword that opens
 * a construct, the head of an {@code if}); SQL code, as in SQL shells, only at a final {@code ;}. Operators that are
 * also something else ({@code <} and {@code >} of generics and Spark SQL's types, {@code *} of imports and
 * {@code count(*)}, Java's {@code ?} and {@code :}) are left alone.
 *
 * @param needsOperand     operators that need a right operand
 * @param cannotStart      operators that cannot start an operand
 * @param mayFollowDot     what may follow a {@code .}
 * @param openEndings      trailing operators that leave the code incomplete (Scala: any operator)
 * @param openEndingWords  trailing keywords that leave the code incomplete
 * @param anyOperatorOpens every trailing operator leaves the code incomplete
 * @param endsAtSemicolon  SQL: complete only at a final {@code ;}
 */
record OperatorGrammar(Set<String> needsOperand, Set<String> cannotStart, Predicate<Token> mayFollowDot,
                       Set<String> openEndings, Set<String> openEndingWords, boolean anyOperatorOpens,
                       boolean endsAtSemicolon) implements Grammar {

    private static final String INDENT = "  ";

    /** Scala 2.13: operators are identifiers, so only its reserved symbols are judged. */
    static OperatorGrammar scala() {
        return new OperatorGrammar(Set.of("=", "<-"), Set.of("=", "=>", "<-", "<:", ">:", "<%", "#", ":"),
                t -> t.type() == Token.Type.WORD || t.type() == Token.Type.OPERATOR && !t.text().equals(".")
                        || t.isOpen("{"), // import a.{b, c}
                Set.of(), Set.of("if", "else", "match", "new", "extends", "with", "yield", "do", "try", "catch",
                "finally", "while", "for", "throw", "def", "val", "var", "class", "object", "trait", "case", "import",
                "type", "lazy", "implicit", "override", "sealed", "abstract", "final", "private", "protected"),
                true, false);
    }

    /** Java, as JShell reads it (a final {@code ;} is optional). */
    static OperatorGrammar java() {
        Set<String> binary = Set.of("=", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "&=", "|=", "^=",
                "%=", "<<=", ">>=", ">>>=", "/", "%", "^", "|", "&", "<<", "->");
        return new OperatorGrammar(union(binary, Set.of("+", "-", "!", "~")),
                union(binary, Set.of("*", "?", ":", "::", "...", ".")),
                t -> t.type() == Token.Type.WORD || t.isOperator("<") || t.isOperator("*"),
                union(binary, Set.of("+", "-", "!", "~", ".", "?", ":", "::")),
                Set.of("new", "extends", "implements", "throws", "instanceof", "class", "interface", "enum", "if",
                        "else", "while", "for", "do", "try", "catch", "finally", "switch", "case", "import", "package",
                        "throw"),
                false, false);
    }

    /** Spark SQL. */
    static OperatorGrammar sql() {
        Set<String> binary = Set.of("=", "==", "<=>", "<>", "!=", ">=", "<=", "||", "&&", "/", "%", "&", "|", "^", "::",
                "->", "=>");
        return new OperatorGrammar(union(binary, Set.of("+", "-", "~")), union(binary, Set.of("*", ".")),
                t -> t.type() == Token.Type.WORD || t.type() == Token.Type.STRING || t.isOperator("*"),
                Set.of(), Set.of(), false, true);
    }

    @Override
    public boolean invalid(List<Token> tokens) {
        for (int k = 0; k + 1 < tokens.size(); k++) {
            Token a = tokens.get(k);
            Token b = tokens.get(k + 1);
            if (a.type() == Token.Type.OPERATOR && needsOperand.contains(a.text()) && startsNothing(b)) {
                return true;
            }
            if (a.isOperator(".") && !mayFollowDot.test(b)) {
                return true;
            }
        }
        return false;
    }

    private boolean startsNothing(Token b) {
        return switch (b.type()) {
            case CLOSE, COMMA, SEMICOLON -> true;
            case OPERATOR -> cannotStart.contains(b.text());
            default -> false;
        };
    }

    @Override
    public CompletenessCheck.Verdict ending(String code, List<Token> tokens) {
        Token last = tokens.get(tokens.size() - 1);
        if (endsAtSemicolon) {
            return last.type() == Token.Type.SEMICOLON ? CompletenessCheck.Verdict.complete()
                    : CompletenessCheck.Verdict.incomplete("");
        }
        boolean open = last.afterHead()
                || last.type() == Token.Type.COMMA
                || last.type() == Token.Type.OPERATOR && (anyOperatorOpens || openEndings.contains(last.text()))
                || last.type() == Token.Type.WORD && openEndingWords.contains(last.text());
        return open ? CompletenessCheck.Verdict.incomplete(INDENT) : CompletenessCheck.Verdict.complete();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
