package io.hearth.kernel.install;

import io.hearth.kernel.gateway.CaBundle;
import io.hearth.kernel.gateway.GatewayUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The options of {@code install|list|remove [--user | --sys-prefix | --prefix DIR] [--gateway URL] [--ca-file FILE]
 * [--name NAME]}.
 *
 * @param kernelsDir where the kernelspecs go: {@code .../share/jupyter/kernels} (or the user's Jupyter data dir's)
 * @param gatewayUrl written into each kernel.json's env when given
 * @param caFile     the gateway's CA certificate(s), absolute, written into each kernel.json's env when given
 * @param name       the kernelspecs' name prefix: they are {@code NAME-pyspark}, {@code NAME-spark}, ...
 * @param explicitPlace true when a place option was given (list looks everywhere otherwise)
 * @param classArchive  false with {@code --no-class-archive}: no training run, kernels start without the archive
 */
public record InstallOptions(Path kernelsDir, Optional<String> gatewayUrl, Optional<Path> caFile, String name,
                             boolean explicitPlace, boolean classArchive) {

    /** The kernelspec name prefix unless {@code --name} says otherwise. */
    public static final String DEFAULT_NAME = "hearth";

    // What jupyter_client accepts as a kernel name.
    private static final Pattern KERNEL_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final List<String> WITH_VALUE = List.of("--prefix", "--gateway", "--ca-file", "--name");

    /** Parses with this process's environment. */
    public static InstallOptions parse(List<String> args) {
        return parse(args, System.getenv());
    }

    /** Parses the arguments after the command; throws {@link IllegalArgumentException} with a user-facing message. */
    public static InstallOptions parse(List<String> args, Map<String, String> env) {
        Path kernels = null;
        String place = null;
        String gateway = null;
        String caFile = null;
        String name = DEFAULT_NAME;
        boolean classArchive = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size() && WITH_VALUE.contains(option) && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                value = null;
            }
            switch (option) {
                case "--prefix", "--user", "--sys-prefix" -> {
                    if (place != null) {
                        throw new IllegalArgumentException("give one of --user, --sys-prefix and --prefix DIR, not "
                                + place + " and " + option);
                    }
                    place = option;
                    kernels = switch (option) {
                        case "--prefix" -> JupyterPaths.kernelsUnder(Path.of(required(option, value)));
                        case "--user" -> JupyterPaths.userKernels(env);
                        default -> JupyterPaths.sysPrefixKernels(env);
                    };
                }
                case "--gateway" -> gateway = required(option, value);
                case "--ca-file" -> caFile = required(option, value);
                case "--name" -> name = required(option, value);
                case "--no-class-archive" -> classArchive = false;
                case "--token", "--password" -> throw new IllegalArgumentException(option
                        + ": credentials are never written into kernelspecs; the kernels read them from the environment"
                        + " (HEARTH_GATEWAY_TOKEN, or HEARTH_GATEWAY_USER and HEARTH_GATEWAY_PASSWORD) or from"
                        + " ~/.config/hearth/kernel.json (token, or user and password)");
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        if (!KERNEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name may only use letters, digits, '.', '_' and '-': " + name);
        }
        if (gateway != null && GatewayUrl.problem(gateway) != null) {
            throw new IllegalArgumentException("--gateway must be an http:// or https:// URL: " + gateway);
        }
        Optional<Path> ca = Optional.ofNullable(caFile).map(f -> Path.of(f).toAbsolutePath().normalize());
        String caProblem = ca.map(CaBundle::problem).orElse(null);
        if (caProblem != null) {
            throw new IllegalArgumentException("--ca-file " + ca.get() + " cannot be used: " + caProblem);
        }
        boolean explicit = kernels != null;
        return new InstallOptions(explicit ? kernels : JupyterPaths.userKernels(env), Optional.ofNullable(gateway), ca,
                name, explicit, classArchive);
    }

    private static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
