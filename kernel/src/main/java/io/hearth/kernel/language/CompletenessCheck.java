package io.hearth.kernel.language;

import io.hearth.kernel.livy.StatementKind;

/**
 * Answers {@code is_complete_request} in the kernel itself, from the code's tokens (no interpreter round trip, so
 * consoles stay responsive and need no session). For every language: code is incomplete while a bracket, a long
 * string or a block comment is open; invalid when a closing bracket matches nothing, a one-line string is not closed
 * on its line, or its {@link Grammar} finds tokens that can never stand together ({@code x = = 1}). Otherwise the
 * grammar judges the code's end: Python waits for a blank line after an indented block and for the body after a
 * {@code :}; Scala and Java for what an operator or keyword at the end needs; SQL, as SQL shells do, for a final
 * {@code ;}.
 */
public final class CompletenessCheck {

    /** The answer: {@code status} and, for {@code incomplete}, the indent of the next line. */
    public record Verdict(String status, String indent) {
        static Verdict complete() {
            return new Verdict("complete", "");
        }

        static Verdict incomplete(String indent) {
            return new Verdict("incomplete", indent);
        }

        static Verdict invalid() {
            return new Verdict("invalid", "");
        }
    }

    private final StatementKind kind;
    private final Lexicon lexicon;
    private final Grammar grammar;

    /** A check for the language of {@code kind}. */
    public CompletenessCheck(StatementKind kind) {
        this.kind = kind;
        this.lexicon = Grammar.lexiconOf(kind);
        this.grammar = Grammar.of(kind);
    }

    /** Whether {@code code} is ready to run. */
    public Verdict check(String code) {
        if (code.isBlank()) {
            return Verdict.complete();
        }
        Lexer.Lexed lexed = Lexer.lex(code, lexicon);
        if (lexed.malformed()) {
            return Verdict.invalid();
        }
        if (lexed.continued()) {
            return Verdict.incomplete(PythonGrammar.indentOf(PythonGrammar.lastLine(code)));
        }
        if (lexed.open()) {
            return Verdict.incomplete(kind == StatementKind.PYSPARK ? "" : "  ");
        }
        if (lexed.tokens().isEmpty()) {
            return Verdict.complete(); // only comments and line magics
        }
        return grammar.invalid(lexed.tokens()) ? Verdict.invalid() : grammar.ending(code, lexed.tokens());
    }
}
