package io.hearth.kernel.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Where Jupyter looks for kernelspecs, by the rules of jupyter_core's {@code jupyter --paths} (Linux and macOS). */
public final class JupyterPaths {

    private JupyterPaths() {
    }

    /** {@code PREFIX/share/jupyter/kernels}. */
    public static Path kernelsUnder(Path prefix) {
        return prefix.toAbsolutePath().normalize().resolve("share").resolve("jupyter").resolve("kernels");
    }

    /** The user's kernels: {@code $JUPYTER_DATA_DIR}, else {@code $XDG_DATA_HOME/jupyter}, else {@code ~/.local/share/jupyter}. */
    public static Path userKernels(Map<String, String> env) {
        String data = env.get("JUPYTER_DATA_DIR");
        if (data != null && !data.isBlank()) {
            return Path.of(data).toAbsolutePath().resolve("kernels");
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jupyter").resolve("kernels");
    }

    /**
     * The kernels of the Python environment Jupyter runs in: the active virtualenv or conda environment, else the
     * {@code sys.prefix} of {@code python3} on the PATH.
     */
    public static Path sysPrefixKernels(Map<String, String> env) {
        for (String variable : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(variable);
            if (prefix != null && !prefix.isBlank()) {
                return kernelsUnder(Path.of(prefix));
            }
        }
        return kernelsUnder(Path.of(pythonPrefix()));
    }

    /** Every directory Jupyter reads kernelspecs from, most specific first. */
    public static List<Path> searchPath(Map<String, String> env) {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(userKernels(env));
        String jupyterPath = env.get("JUPYTER_PATH");
        if (jupyterPath != null) {
            for (String entry : jupyterPath.split(":")) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry).toAbsolutePath().normalize().resolve("kernels"));
                }
            }
        }
        for (String variable : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(variable);
            if (prefix != null && !prefix.isBlank()) {
                dirs.add(kernelsUnder(Path.of(prefix)));
            }
        }
        dirs.add(kernelsUnder(Path.of("/usr/local")));
        dirs.add(kernelsUnder(Path.of("/usr")));
        return new ArrayList<>(dirs);
    }

    private static String pythonPrefix() {
        try {
            Process python = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)")
                    .redirectErrorStream(true).start();
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (python.waitFor(10, TimeUnit.SECONDS) && python.exitValue() == 0 && !out.isEmpty()) {
                return out;
            }
            throw new IllegalStateException("--sys-prefix: python3 could not tell its sys.prefix (" + out
                    + "); activate the environment Jupyter runs in, or use --prefix DIR");
        } catch (IOException e) {
            throw new IllegalStateException("--sys-prefix needs an active virtualenv/conda environment or python3 on the"
                    + " PATH; use --prefix DIR instead");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking python3 for its sys.prefix");
        }
    }
}
