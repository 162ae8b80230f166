package io.hearth.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The options of {@code install --prefix DIR [--gateway URL] [--name NAME]}. */
public record InstallOptions(Path prefix, Optional<String> gatewayUrl, String name) {

    /** The kernelspec directory name unless {@code --name} says otherwise. */
    public static final String DEFAULT_NAME = "hearth-pyspark";

    // What jupyter_client accepts as a kernel name.
    private static final Pattern KERNEL_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** Parses the arguments after {@code install}; throws {@link IllegalArgumentException} with a user-facing message. */
    public static InstallOptions parse(List<String> args) {
        Path prefix = null;
        String gateway = null;
        String name = DEFAULT_NAME;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size() && isOption(option) && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                value = null;
            }
            switch (option) {
                case "--prefix" -> prefix = Path.of(required(option, value)).toAbsolutePath().normalize();
                case "--gateway" -> gateway = required(option, value);
                case "--name" -> name = required(option, value);
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        if (prefix == null) {
            throw new IllegalArgumentException("--prefix DIR is required (the kernelspec goes into DIR/share/jupyter/kernels/)");
        }
        if (!KERNEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name may only use letters, digits, '.', '_' and '-': " + name);
        }
        if (gateway != null && GatewayClient.checkUrl(gateway) != null) {
            throw new IllegalArgumentException("--gateway must be an http:// or https:// URL: " + gateway);
        }
        return new InstallOptions(prefix, Optional.ofNullable(gateway), name);
    }

    private static boolean isOption(String option) {
        return option.equals("--prefix") || option.equals("--gateway") || option.equals("--name");
    }

    private static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
