package io.hearth.kernel.install;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.livy.StatementKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes the four Hearth kernelspecs (kernel.json and logos each) from the templates packaged in the jar. */
public final class KernelspecInstaller {

    /** Where the templates live on the class path (the kernel pom packages the top-level kernelspec/ there). */
    static final String TEMPLATE_DIR = "kernelspec/";
    private static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png");
    private static final String JAVA_PLACEHOLDER = "@JAVA@";
    private static final String JAR_PLACEHOLDER = "@KERNEL_JAR@";

    private final Path java;
    private final Path kernelJar;
    private final ClassLoader templates;

    /** An installer whose kernel.json starts {@code java -jar kernelJar}, reading templates from {@code templates}. */
    public KernelspecInstaller(Path java, Path kernelJar, ClassLoader templates) {
        this.java = java.toAbsolutePath();
        this.kernelJar = kernelJar.toAbsolutePath();
        this.templates = templates;
    }

    /** The directory name of {@code kind}'s kernelspec: {@code NAME-kind}. */
    public static String specName(InstallOptions options, StatementKind kind) {
        return options.name() + "-" + kind.wireName();
    }

    /** Writes {@code KERNELS/NAME-kind/} for each kind, replacing earlier installs there; returns those directories. */
    public List<Path> install(InstallOptions options) throws IOException {
        return install(options, List.of());
    }

    /** As {@link #install(InstallOptions)}, the kernel JVM started with {@code jvmOptions} (e.g. its class archive). */
    public List<Path> install(InstallOptions options, List<String> jvmOptions) throws IOException {
        List<Path> dirs = new java.util.ArrayList<>();
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        for (StatementKind kind : StatementKind.values()) {
            Path dir = options.kernelsDir().resolve(specName(options, kind));
            Files.createDirectories(dir);
            JsonObject spec = kernelJson(options, kind, jvmOptions);
            Files.writeString(dir.resolve("kernel.json"), gson.toJson(spec) + "\n", StandardCharsets.UTF_8);
            for (String logo : LOGOS) {
                try (InputStream in = template(kind, logo)) {
                    Files.copy(in, dir.resolve(logo), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            dirs.add(dir);
        }
        return dirs;
    }

    /** The kernel.json of {@code kind} for {@code options}: the template with this JVM, this jar and the gateway filled in. */
    JsonObject kernelJson(InstallOptions options, StatementKind kind) throws IOException {
        return kernelJson(options, kind, List.of());
    }

    private JsonObject kernelJson(InstallOptions options, StatementKind kind, List<String> jvmOptions) throws IOException {
        JsonObject spec;
        try (InputStream in = template(kind, "kernel.json")) {
            spec = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonArray argv = new JsonArray();
        for (JsonElement arg : spec.getAsJsonArray("argv")) {
            argv.add(arg.getAsString()
                    .replace(JAVA_PLACEHOLDER, java.toString())
                    .replace(JAR_PLACEHOLDER, kernelJar.toString()));
            if (arg.getAsString().equals(JAVA_PLACEHOLDER)) {
                jvmOptions.forEach(argv::add);
            }
        }
        spec.add("argv", argv);
        JsonObject env = spec.has("env") ? spec.getAsJsonObject("env") : new JsonObject();
        options.gatewayUrl().ifPresent(url -> env.addProperty(GatewaySettings.URL_ENV, url));
        options.caFile().ifPresent(file -> env.addProperty(GatewaySettings.CA_FILE_ENV, file.toString()));
        spec.add("env", env);
        return spec;
    }

    private InputStream template(StatementKind kind, String file) {
        InputStream in = templates.getResourceAsStream(TEMPLATE_DIR + kind.wireName() + "/" + file);
        if (in == null) {
            throw new UncheckedIOException(new IOException("kernelspec template " + TEMPLATE_DIR + kind + "/" + file
                    + " is missing from the kernel jar"));
        }
        return in;
    }
}
