package io.hearth.kernel.magic;

import java.util.List;

/**
 * One magic as written in a cell: {@code %name args} on a line, or {@code %%name args} on a cell's first line with
 * the rest of the cell as {@code body}.
 *
 * @param name the magic's name, without percent signs
 * @param cell written with {@code %%}
 * @param args the arguments, split like a shell does
 * @param body the lines after a cell magic's first line; empty for a line magic
 */
public record MagicCall(String name, boolean cell, List<String> args, String body) {

    /** Copies the arguments so the record stays immutable. */
    public MagicCall {
        args = List.copyOf(args);
    }

    /** How the user wrote the magic's name: {@code %%sql} or {@code %logs}. */
    public String written() {
        return (cell ? "%%" : "%") + name;
    }
}
