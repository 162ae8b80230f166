package io.hearth.kernel.install;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearth.kernel.gateway.GatewaySettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code list} and {@code remove}: the installed Hearth kernelspecs (those whose kernel.json has {@code metadata.hearth}). */
public final class KernelspecCommands {

    /** One installed Hearth kernelspec, with the gateway URL and CA file its kernel.json sets, if any. */
    public record Installed(String name, String kind, String displayName, Path dir, Optional<String> gatewayUrl,
                            Optional<String> caFile) {}

    private KernelspecCommands() {
    }

    /** Runs {@code command} ({@code list} or {@code remove}); returns the exit code. */
    public static int run(String command, List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
                   String usage) {
        InstallOptions options;
        try {
            options = InstallOptions.parse(args, env);
            if (options.gatewayUrl().isPresent() || options.caFile().isPresent()) {
                throw new IllegalArgumentException("--gateway and --ca-file are install options");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.println(usage);
            return 2;
        }
        List<Path> dirs = options.explicitPlace() ? List.of(options.kernelsDir()) : JupyterPaths.searchPath(env);
        List<Installed> found = find(dirs);
        if (command.equals("list")) {
            if (found.isEmpty()) {
                out.println("No Hearth kernelspecs in " + dirs);
            }
            for (Installed k : found) {
                out.println(k.name() + "\t" + k.kind() + "\t" + k.displayName() + "\t" + k.dir()
                        + k.gatewayUrl().map(url -> "\tgateway " + url).orElse("")
                        + k.caFile().map(file -> "\tCA file " + file).orElse(""));
            }
            return 0;
        }
        boolean namedOnly = args.stream().anyMatch(a -> a.startsWith("--name"));
        int removed = 0;
        for (Installed k : found) {
            if (namedOnly && !k.name().startsWith(options.name() + "-")) {
                continue;
            }
            try {
                deleteTree(k.dir());
                out.println("Removed kernelspec " + k.name() + " from " + k.dir());
                removed++;
            } catch (IOException e) {
                err.println("error: could not remove " + k.dir() + ": " + e.getMessage());
                return 1;
            }
        }
        if (removed == 0) {
            out.println("No Hearth kernelspecs to remove in " + dirs);
        }
        return 0;
    }

    /** The Hearth kernelspecs in {@code kernelsDirs}, in order. */
    public static List<Installed> find(List<Path> kernelsDirs) {
        List<Installed> found = new ArrayList<>();
        for (Path kernels : kernelsDirs) {
            if (!Files.isDirectory(kernels)) {
                continue;
            }
            try (DirectoryStream<Path> specs = Files.newDirectoryStream(kernels)) {
                List<Path> sorted = new ArrayList<>();
                specs.forEach(sorted::add);
                sorted.sort(Comparator.naturalOrder());
                for (Path dir : sorted) {
                    hearthSpec(dir).ifPresent(found::add);
                }
            } catch (IOException e) {
                // An unreadable directory holds nothing we can list or remove.
            }
        }
        return found;
    }

    private static java.util.Optional<Installed> hearthSpec(Path dir) {
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(dir.resolve("kernel.json")));
            if (!parsed.isJsonObject()) {
                return Optional.empty();
            }
            JsonObject spec = parsed.getAsJsonObject();
            JsonObject metadata = spec.has("metadata") && spec.get("metadata").isJsonObject()
                    ? spec.getAsJsonObject("metadata") : new JsonObject();
            if (!metadata.has("hearth") || !metadata.get("hearth").isJsonObject()) {
                return Optional.empty();
            }
            JsonElement kind = metadata.getAsJsonObject("hearth").get("kind");
            JsonElement display = spec.get("display_name");
            JsonObject env = spec.has("env") && spec.get("env").isJsonObject() ? spec.getAsJsonObject("env")
                    : new JsonObject();
            return Optional.of(new Installed(dir.getFileName().toString(),
                    kind == null ? "?" : kind.getAsString(), display == null ? "" : display.getAsString(), dir,
                    text(env, GatewaySettings.URL_ENV), text(env, GatewaySettings.CA_FILE_ENV)));
        } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonObject env, String key) {
        JsonElement value = env.get(key);
        return value != null && value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
