package io.hearth.kernel.magic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A magic's arguments read against the options it takes: flags ({@code -f}) and options with a value ({@code -n 10}). */
public final class MagicArgs {

    private final Set<String> flags;
    private final Map<String, String> values;
    private final List<String> positional;

    private MagicArgs(Set<String> flags, Map<String, String> values, List<String> positional) {
        this.flags = flags;
        this.values = values;
        this.positional = positional;
    }

    /**
     * Reads {@code args}: each of {@code flagNames} may appear once alone, each of {@code valueNames} once followed by
     * its value; at most {@code maxPositional} other words are allowed.
     */
    public static MagicArgs parse(List<String> args, Set<String> flagNames, Set<String> valueNames, int maxPositional)
            throws MagicSyntaxException {
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flagNames.contains(arg)) {
                if (!flags.add(arg)) {
                    throw new MagicSyntaxException(arg + " is given twice");
                }
            } else if (valueNames.contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new MagicSyntaxException(arg + " needs a value");
                }
                if (values.put(arg, args.get(++i)) != null) {
                    throw new MagicSyntaxException(arg + " is given twice");
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                Set<String> valid = new TreeSet<>(flagNames);
                valid.addAll(valueNames);
                throw new MagicSyntaxException("unknown option " + arg
                        + (valid.isEmpty() ? " (this magic takes no options)" : "; valid options: " + String.join(", ", valid)));
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() > maxPositional) {
            throw new MagicSyntaxException("unexpected argument" + (positional.size() - maxPositional > 1 ? "s" : "") + ": "
                    + String.join(" ", positional.subList(maxPositional, positional.size())));
        }
        return new MagicArgs(flags, values, positional);
    }

    /** Whether flag {@code name} was given. */
    public boolean flag(String name) {
        return flags.contains(name);
    }

    /** The value of option {@code name}, if given. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value of option {@code name} as a whole number of at least {@code min}, if given. */
    public Optional<Integer> intValue(String name, int min) throws MagicSyntaxException {
        String text = values.get(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MagicSyntaxException(name + " must be a whole number of at least " + min + ", not '" + text + "'");
    }

    /** The words that are not options, in order. */
    public List<String> positional() {
        return List.copyOf(positional);
    }
}
