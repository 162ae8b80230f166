package io.hearth.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cell cut into what runs in turn: a cell magic ({@code %%name args} as the first line, the rest its body), or
 * code and line magics ({@code %name args} at the start of a line) in the order written. A line magic must start
 * at the first column, so an indented or quoted {@code %} stays code.
 */
public record CellScript(List<Part> parts) {

    private static final Pattern MAGIC = Pattern.compile("^(%%?)([A-Za-z_][A-Za-z0-9_]*)(.*)$", Pattern.DOTALL);

    /** A cell magic's first line: the magic's name, and where its body starts in the cell (a char index). */
    public record CellMagicLine(String name, int bodyStart) {
    }

    /** One piece of a cell. */
    public sealed interface Part permits Code, Call {
    }

    /** Code for the interpreter, run as one statement. */
    public record Code(String code) implements Part {
    }

    /** A magic to run. */
    public record Call(MagicCall call) implements Part {
    }

    /** Copies the parts so the record stays immutable. */
    public CellScript {
        parts = List.copyOf(parts);
    }

    /** True when the cell holds at least one magic (else it is plain code, run as it is). */
    public boolean hasMagic() {
        return parts.stream().anyMatch(p -> p instanceof Call);
    }

    /** Cuts {@code cell}; throws when a magic is written wrongly. */
    public static CellScript parse(String cell) throws MagicSyntaxException {
        String[] lines = cell.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && lines[first].startsWith("%%")) {
            MagicCall call = magic(lines[first], true,
                    String.join("\n", java.util.Arrays.copyOfRange(lines, first + 1, lines.length)));
            return new CellScript(List.of(new Call(call)));
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("%%") && isMagicLine(line)) {
                throw new MagicSyntaxException(line.strip().split("\\s+", 2)[0]
                        + " is a cell magic: it must be the first line of its cell");
            }
            if (isMagicLine(line)) {
                flush(code, parts);
                parts.add(new Call(magic(line, false, "")));
            } else {
                code.append(line).append('\n');
            }
        }
        flush(code, parts);
        return new CellScript(parts);
    }

    /** The cell magic line that opens {@code cell}, if it starts with one (after blank lines). */
    public static Optional<CellMagicLine> cellMagicLine(String cell) {
        int start = 0;
        while (true) {
            int end = cell.indexOf('\n', start);
            String line = end < 0 ? cell.substring(start) : cell.substring(start, end);
            if (!line.isBlank()) {
                Matcher m = MAGIC.matcher(line.stripTrailing());
                if (!line.startsWith("%%") || !m.matches()) {
                    return Optional.empty();
                }
                return Optional.of(new CellMagicLine(m.group(2), end < 0 ? cell.length() : end + 1));
            }
            if (end < 0) {
                return Optional.empty();
            }
            start = end + 1;
        }
    }

    private static boolean isMagicLine(String line) {
        return MAGIC.matcher(line).matches();
    }

    private static void flush(StringBuilder code, List<Part> parts) {
        // The cell's own text, less the newline added after its last line.
        String text = code.length() > 0 ? code.substring(0, code.length() - 1) : "";
        if (!text.isBlank()) {
            parts.add(new Code(text));
        }
        code.setLength(0);
    }

    private static MagicCall magic(String line, boolean cell, String body) throws MagicSyntaxException {
        String stripped = line.stripTrailing();
        Matcher m = MAGIC.matcher(stripped);
        if (!m.matches() || (cell != m.group(1).equals("%%"))) {
            throw new MagicSyntaxException("expected a magic name after " + (cell ? "%%" : "%") + " in: " + stripped);
        }
        String rest = m.group(3);
        if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
            throw new MagicSyntaxException("put a space between " + m.group(1) + m.group(2) + " and its arguments in: "
                    + stripped);
        }
        return new MagicCall(m.group(2), cell, ShellWords.split(rest), body);
    }
}
