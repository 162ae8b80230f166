package io.hearth.kernel.language;

import io.hearth.kernel.livy.StatementKind;
import java.util.List;

/** What a language's syntax lets the kernel tell from tokens alone, without an interpreter. */
interface Grammar {

    /** True when two neighbouring tokens can never stand together: no text added later makes the code valid. */
    boolean invalid(List<Token> tokens);

    /** Whether code that is neither open nor invalid is ready to run, judged by how it ends. */
    CompletenessCheck.Verdict ending(String code, List<Token> tokens);

    /** The grammar of {@code kind}'s language. */
    static Grammar of(StatementKind kind) {
        return switch (kind) {
            case PYSPARK -> new PythonGrammar();
            case SPARK -> OperatorGrammar.scala();
            case JAVA -> OperatorGrammar.java();
            case SQL -> OperatorGrammar.sql();
        };
    }

    /** The lexical conventions of {@code kind}'s language. */
    static Lexicon lexiconOf(StatementKind kind) {
        return switch (kind) {
            case PYSPARK -> Lexicon.PYTHON;
            case SPARK -> Lexicon.SCALA;
            case JAVA -> Lexicon.JAVA;
            case SQL -> Lexicon.SQL;
        };
    }
}
