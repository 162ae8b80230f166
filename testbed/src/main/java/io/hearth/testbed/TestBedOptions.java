package io.hearth.testbed;

import java.nio.file.Path;

/** The test bed's command line: where it writes, and how much the one NodeManager offers to YARN. */
record TestBedOptions(Path dir, int nodeManagerMemoryMb, int nodeManagerVcores) {

    static final String USAGE = "usage: TestBedMain --dir DIR [--nm-memory-mb N (default 12288)] [--nm-vcores N (default 12)]";

    static TestBedOptions parse(String[] args) {
        Path dir = null;
        int memory = 12288;
        int vcores = 12;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> dir = Path.of(required(args[i], value));
                case "--nm-memory-mb" -> memory = positive(args[i], required(args[i], value));
                case "--nm-vcores" -> vcores = positive(args[i], required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir is required");
        }
        return new TestBedOptions(dir.toAbsolutePath(), memory, vcores);
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a positive whole number, not " + value);
    }
}
