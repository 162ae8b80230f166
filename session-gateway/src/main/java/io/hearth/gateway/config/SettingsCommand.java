package io.hearth.gateway.config;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hearth-gateway settings}: every setting with its environment variable, default and meaning. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "Print every setting (property key, environment variable, default, meaning) as a Markdown table.")
public final class SettingsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.print(Settings.markdownTable());
        return 0;
    }
}
