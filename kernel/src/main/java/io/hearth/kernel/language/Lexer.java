package io.hearth.kernel.language;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cuts a cell's code into {@link Token}s and notes what its end leaves open (brackets, a long string, a block comment,
 * a Python line continuation) or what no later text could repair (a closing bracket that matches nothing, a string
 * that must end on its line and does not). A line magic ({@code %name ...} at a line's first column, outside
 * brackets) is a statement of its own and yields no tokens.
 */
final class Lexer {

    /**
     * The tokens and the state at the end of the code.
     *
     * @param tokens     the tokens; Python's logical line ends are {@link Token.Type#LINE_END} tokens
     * @param open       brackets, a long string or a block comment are still open at the end
     * @param continued  Python: the code ends in a line continuation ({@code \})
     * @param malformed  something no later text can repair
     */
    record Lexed(List<Token> tokens, boolean open, boolean continued, boolean malformed) {}

    private static final Set<String> PYTHON_PREFIXES =
            Set.of("r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt");
    // A bracket after these holds a head that a body must follow: `if (x)` alone is not a statement yet.
    private static final Set<String> HEAD_WORDS = Set.of("if", "while", "for", "catch");
    // What endOfQuoted answers for a literal that does not end.
    private static final int RAN_OUT = -1;
    private static final int BROKE_LINE = -2;

    private final String code;
    private final Lexicon lexicon;
    private final int n;
    private final List<Token> tokens = new ArrayList<>();
    // The index in tokens of each open bracket, innermost first.
    private final Deque<Integer> opens = new ArrayDeque<>();
    private int i;
    private boolean unfinished;
    private boolean continued;
    private boolean malformed;

    private Lexer(String code, Lexicon lexicon) {
        this.code = code;
        this.lexicon = lexicon;
        this.n = code.length();
    }

    /** Cuts {@code code} by the conventions of {@code lexicon}. */
    static Lexed lex(String code, Lexicon lexicon) {
        Lexer lexer = new Lexer(code, lexicon);
        lexer.run();
        return new Lexed(List.copyOf(lexer.tokens), lexer.unfinished || !lexer.opens.isEmpty(), lexer.continued,
                lexer.malformed);
    }

    private void run() {
        boolean lineStart = true;
        while (i < n && !malformed) {
            char c = code.charAt(i);
            if (c == '\n') {
                if (lexicon == Lexicon.PYTHON && opens.isEmpty()) {
                    lineEnd();
                }
                i++;
                lineStart = true;
                continue;
            }
            if (lineStart && c == '%' && opens.isEmpty()) {
                i = endOfLine(i);
                continue;
            }
            lineStart = false;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (code.startsWith(lexicon.lineComment(), i)) {
                i = endOfLine(i);
            } else if (lexicon.blockComments() && code.startsWith("/*", i)) {
                blockComment();
            } else if (c == '\\' && lexicon == Lexicon.PYTHON) {
                continuation();
            } else if (isQuote(c)) {
                literal("");
            } else if (Character.isDigit(c) || c == '.' && i + 1 < n && Character.isDigit(code.charAt(i + 1))) {
                number();
            } else if (isWordStart(c)) {
                word();
            } else if ("([{".indexOf(c) >= 0) {
                opens.push(tokens.size());
                add(Token.Type.OPEN, String.valueOf(c));
                i++;
            } else if (")]}".indexOf(c) >= 0) {
                close(c);
            } else if (c == ',') {
                add(Token.Type.COMMA, ",");
                i++;
            } else if (c == ';') {
                add(Token.Type.SEMICOLON, ";");
                i++;
            } else {
                operator();
            }
        }
    }

    private void add(Token.Type type, String text) {
        tokens.add(new Token(type, text));
    }

    private void lineEnd() {
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).type() != Token.Type.LINE_END) {
            add(Token.Type.LINE_END, "\n");
        }
    }

    private int endOfLine(int from) {
        int end = code.indexOf('\n', from);
        return end < 0 ? n : end;
    }

    private void blockComment() {
        int depth = 0;
        int j = i;
        while (j < n) {
            if (code.startsWith("/*", j)) {
                depth = lexicon.nestedBlockComments() || depth == 0 ? depth + 1 : depth;
                j += 2;
            } else if (code.startsWith("*/", j)) {
                j += 2;
                if (--depth == 0) {
                    i = j;
                    return;
                }
            } else {
                j++;
            }
        }
        unfinished = true;
        i = n;
    }

    /** A Python backslash: joins the next line, or leaves the code unfinished at its end. */
    private void continuation() {
        int j = i + 1;
        while (j < n && (code.charAt(j) == ' ' || code.charAt(j) == '\t' || code.charAt(j) == '\r')) {
            j++;
        }
        if (j >= n) {
            continued = true;
            i = n;
        } else if (code.charAt(j) == '\n') {
            i = j + 1;
        } else {
            add(Token.Type.OTHER, "\\"); // a stray backslash: left for the interpreter to judge
            i++;
        }
    }

    private boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`' && lexicon == Lexicon.SQL;
    }

    private boolean isWordStart(char c) {
        return Character.isUnicodeIdentifierStart(c) || c == '_'
                || c == '$' && (lexicon == Lexicon.JAVA || lexicon == Lexicon.SCALA)
                || c == '`' && lexicon == Lexicon.SCALA;
    }

    private void word() {
        if (code.charAt(i) == '`') { // Scala's `quoted identifier`
            int end = code.indexOf('`', i + 1);
            if (end < 0 || code.substring(i, end).indexOf('\n') >= 0) {
                malformed = true;
                return;
            }
            add(Token.Type.WORD, code.substring(i, end + 1));
            i = end + 1;
            return;
        }
        int start = i;
        i++;
        while (i < n && (Character.isUnicodeIdentifierPart(code.charAt(i)) || code.charAt(i) == '$')
                && !Character.isIdentifierIgnorable(code.charAt(i))) {
            i++;
        }
        String word = code.substring(start, i);
        if (lexicon == Lexicon.SCALA && word.endsWith("_")) { // unary_!, name_=: an identifier may end in operators
            while (i < n && Lexicon.SCALA_OPERATOR_CHARS.indexOf(code.charAt(i)) >= 0) {
                i++;
            }
            word = code.substring(start, i);
        }
        boolean quoteNext = i < n && (code.charAt(i) == '"' || code.charAt(i) == '\'');
        if (quoteNext && lexicon == Lexicon.PYTHON && PYTHON_PREFIXES.contains(word.toLowerCase(Locale.ROOT))) {
            i = start;
            literal(word);
        } else if (quoteNext && lexicon == Lexicon.SCALA && code.charAt(i) == '"') {
            i = start;
            literal(word); // an interpolated string: s"...", f"...", raw"..."
        } else {
            add(Token.Type.WORD, word);
        }
    }

    private void number() {
        int start = i;
        boolean hex = code.startsWith("0x", i) || code.startsWith("0X", i);
        while (i < n) {
            char c = code.charAt(i);
            boolean exponentSign = (c == '+' || c == '-') && !hex && i > start
                    && (code.charAt(i - 1) == 'e' || code.charAt(i - 1) == 'E');
            if (Character.isLetterOrDigit(c) || c == '_' || exponentSign
                    || c == '.' && !(i + 1 < n && code.charAt(i + 1) == '.')) {
                i++;
            } else {
                break;
            }
        }
        add(Token.Type.NUMBER, code.substring(start, i));
    }

    private void close(char c) {
        char open = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (opens.isEmpty() || !tokens.get(opens.peek()).text().equals(String.valueOf(open))) {
            malformed = true;
            return;
        }
        int at = opens.pop();
        boolean head = c == ')' && at > 0 && tokens.get(at - 1).type() == Token.Type.WORD
                && HEAD_WORDS.contains(tokens.get(at - 1).text());
        tokens.add(new Token(Token.Type.CLOSE, String.valueOf(c), head));
        i++;
    }

    private void operator() {
        if (lexicon == Lexicon.SCALA) {
            if (code.charAt(i) == '.') {
                add(Token.Type.OPERATOR, ".");
                i++;
                return;
            }
            int start = i;
            while (i < n && Lexicon.SCALA_OPERATOR_CHARS.indexOf(code.charAt(i)) >= 0
                    && !(i > start && (code.startsWith("//", i) || code.startsWith("/*", i)))) {
                i++;
            }
            if (i > start) {
                add(Token.Type.OPERATOR, code.substring(start, i));
                return;
            }
        } else {
            for (String op : lexicon.operators()) {
                if (code.startsWith(op, i)) {
                    add(Token.Type.OPERATOR, op);
                    i += op.length();
                    return;
                }
            }
        }
        add(Token.Type.OTHER, String.valueOf(code.charAt(i))); // `?`, `$`, ...: nothing the rules judge
        i++;
    }

    /** A string or character literal starting at {@code i} after {@code prefix} (Python's f, rb, ...; Scala's s). */
    private void literal(String prefix) {
        int quoteAt = i + prefix.length();
        char quote = code.charAt(quoteAt);
        if (quote == '\'' && lexicon == Lexicon.SCALA) {
            scalaQuote();
            return;
        }
        int end = endOfQuoted(quoteAt, prefix);
        if (end == RAN_OUT && isMultiLine(quoteAt)) {
            unfinished = true;
            i = n;
        } else if (end < 0) {
            malformed = true;
        } else {
            add(Token.Type.STRING, code.substring(i, end));
            i = end;
        }
    }

    /** Scala's {@code 'c'} character literal, or its (deprecated) {@code 'symbol} literal. */
    private void scalaQuote() {
        if (i + 2 < n && code.charAt(i + 1) != '\\' && code.charAt(i + 2) == '\'') {
            add(Token.Type.STRING, code.substring(i, i + 3));
            i += 3;
        } else if (i + 1 < n && code.charAt(i + 1) == '\\') {
            int end = endOfQuoted(i, "");
            if (end < 0) {
                malformed = true;
                return;
            }
            add(Token.Type.STRING, code.substring(i, end));
            i = end;
        } else if (i + 1 < n && Character.isUnicodeIdentifierStart(code.charAt(i + 1))) {
            int start = i;
            i += 2;
            while (i < n && Character.isUnicodeIdentifierPart(code.charAt(i))) {
                i++;
            }
            add(Token.Type.STRING, code.substring(start, i));
        } else {
            malformed = true;
        }
    }

    private boolean isTriple(int quoteAt) {
        char quote = code.charAt(quoteAt);
        boolean allowed = lexicon == Lexicon.PYTHON || quote == '"' && lexicon != Lexicon.SQL;
        return allowed && code.startsWith(String.valueOf(quote).repeat(3), quoteAt);
    }

    /** Whether the literal at {@code quoteAt} may span lines: triple-quoted ones, and every SQL string. */
    private boolean isMultiLine(int quoteAt) {
        return lexicon == Lexicon.SQL || isTriple(quoteAt);
    }

    /**
     * The index after the literal whose opening quote is at {@code quoteAt}, or {@link #RAN_OUT} when the code ends
     * inside it, or {@link #BROKE_LINE} when a line ends inside a literal that must end on its line.
     */
    private int endOfQuoted(int quoteAt, String prefix) {
        char quote = code.charAt(quoteAt);
        int quoteLength = isTriple(quoteAt) ? 3 : 1;
        String close = String.valueOf(quote).repeat(quoteLength);
        boolean multiLine = isMultiLine(quoteAt);
        // Scala's """raw""" strings and SQL's `identifiers` have no escapes; SQL doubles a quote to escape it.
        boolean escapes = !(lexicon == Lexicon.SCALA && quoteLength == 3) && quote != '`';
        boolean doubling = lexicon == Lexicon.SQL;
        String lower = prefix.toLowerCase(Locale.ROOT);
        boolean pythonFields = lexicon == Lexicon.PYTHON && (lower.contains("f") || lower.contains("t"));
        boolean scalaFields = lexicon == Lexicon.SCALA && !prefix.isEmpty();
        int j = quoteAt + quoteLength;
        while (j < n) {
            char c = code.charAt(j);
            if (escapes && c == '\\') {
                // A backslash never escapes an f-string's braces: `\{{` is a backslash and a literal brace.
                boolean beforeBrace = pythonFields && j + 1 < n
                        && (code.charAt(j + 1) == '{' || code.charAt(j + 1) == '}');
                j += beforeBrace ? 1 : 2;
            } else if (pythonFields && (c == '{' || c == '}')) {
                j = j + 1 < n && code.charAt(j + 1) == c ? j + 2 : c == '{' ? endOfField(j + 1) : j + 1;
            } else if (scalaFields && c == '$') {
                j = j + 1 < n && code.charAt(j + 1) == '{' ? endOfField(j + 2) : j + 2;
            } else if (code.startsWith(close, j)) {
                if (doubling && j + 1 < n && code.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + quoteLength;
                }
            } else if (c == '\n' && !multiLine) {
                return BROKE_LINE;
            } else {
                j++;
            }
            if (j < 0) {
                return j;
            }
        }
        return RAN_OUT;
    }

    /** The index after the {@code }} that closes a replacement field whose text starts at {@code from}. */
    private int endOfField(int from) {
        int depth = 1;
        int j = from;
        while (j < n) {
            char c = code.charAt(j);
            if (c == '"' || c == '\'') {
                j = endOfQuoted(j, "");
                if (j < 0) {
                    return j;
                }
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j + 1;
            }
            j++;
        }
        return RAN_OUT;
    }
}
