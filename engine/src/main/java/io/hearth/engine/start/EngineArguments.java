package io.hearth.engine.start;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The engine's command line: each {@code --conf key=value} is one entry of the session's Spark configuration. */
public record EngineArguments(Map<String, String> sparkConf) {

    public EngineArguments {
        sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf));
    }

    public static EngineArguments parse(String... args) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String pair;
            if (arg.equals("--conf")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--conf needs a key=value after it");
                }
                pair = args[++i];
            } else if (arg.startsWith("--conf=")) {
                pair = arg.substring("--conf=".length());
            } else {
                throw new IllegalArgumentException("unknown argument: " + arg + " (the engine takes only --conf key=value)");
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--conf expects key=value but got: " + pair);
            }
            conf.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return new EngineArguments(conf);
    }
}
