package io.hearth.kernel.magic;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The charts {@code %%sql --chart} draws, with their Vega-Lite mark. */
public enum ChartType {
    BAR("bar"), LINE("line"), AREA("area"), SCATTER("point"), PIE("arc");

    private final String mark;

    ChartType(String mark) {
        this.mark = mark;
    }

    /** The Vega-Lite mark type. */
    public String mark() {
        return mark;
    }

    /** The name as written after {@code --chart}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The chart called {@code text}; the error lists the valid names. */
    public static ChartType parse(String text) throws MagicSyntaxException {
        for (ChartType type : values()) {
            if (type.label().equals(text)) {
                return type;
            }
        }
        throw new MagicSyntaxException("--chart must be one of " + choices() + ", not '" + text + "'");
    }

    /** {@code bar|line|area|scatter|pie}. */
    public static String choices() {
        return Arrays.stream(values()).map(ChartType::label).collect(Collectors.joining("|"));
    }
}
