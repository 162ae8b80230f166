package io.hearth.kernel.gateway;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the gateway is, how to log in to it and which CA vouches for its certificate: the URL from the environment,
 * else the user's config file, else {@link #DEFAULT_URL}; a token or user/password from the environment, else the
 * config file; a CA file from the environment, else the config file. Never from a notebook, which is shared and saved.
 *
 * @param url      the gateway's base URL
 * @param urlFrom  where the URL came from, for error messages
 * @param token    a bearer token, if any
 * @param user     a Basic user, if any (with {@code password})
 * @param password the Basic password, if any
 * @param caFile   a PEM file of CAs trusted besides the JDK's, if any
 * @param problem  what is wrong with the config file, if anything (reported at the first cell, not at start)
 */
public record GatewaySettings(String url, String urlFrom, Optional<String> token, Optional<String> user,
                              Optional<String> password, Optional<CaFile> caFile, Optional<String> problem) {

    /** The gateway address when nothing else says (Livy's default port). */
    public static final String DEFAULT_URL = "http://127.0.0.1:8998";
    /** Environment variables the kernel reads. */
    public static final String URL_ENV = "HEARTH_GATEWAY_URL";
    static final String TOKEN_ENV = "HEARTH_GATEWAY_TOKEN";
    static final String USER_ENV = "HEARTH_GATEWAY_USER";
    static final String PASSWORD_ENV = "HEARTH_GATEWAY_PASSWORD";
    /** A PEM file of CA certificates to trust for the gateway's certificate (kernel.json's env when installed with one). */
    public static final String CA_FILE_ENV = "HEARTH_GATEWAY_CA_FILE";
    /** Overrides the config file's location (tests, several setups side by side). */
    static final String CONFIG_ENV = "HEARTH_KERNEL_CONFIG";

    /** Settings of a gateway at {@code url} (as if from {@value #URL_ENV}) with no credentials. */
    public static GatewaySettings of(String url) {
        return new GatewaySettings(url, URL_ENV, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** The config file: {@code $HEARTH_KERNEL_CONFIG}, else {@code $XDG_CONFIG_HOME/hearth/kernel.json}, else {@code ~/.config/hearth/kernel.json}. */
    public static Path configFile(Map<String, String> env) {
        String explicit = env.get(CONFIG_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("hearth").resolve("kernel.json");
    }

    /** Resolves the settings from {@code env} and the config file it names. */
    public static GatewaySettings resolve(Map<String, String> env) {
        Path file = configFile(env);
        JsonObject config = new JsonObject();
        Optional<String> problem = Optional.empty();
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (parsed.isJsonObject()) {
                config = parsed.getAsJsonObject();
            } else {
                problem = Optional.of("The kernel config file " + file + " must hold a JSON object with gateway_url, token,"
                        + " user, password and/or ca_file.");
            }
        } catch (NoSuchFileException e) {
            // No file is the usual case: the environment or the default say everything.
        } catch (IOException | JsonParseException e) {
            problem = Optional.of("The kernel config file " + file + " cannot be read as JSON (" + e.getMessage() + ").");
        }
        String url = DEFAULT_URL;
        String from = "the default";
        if (nonBlank(env.get(URL_ENV)).isPresent()) {
            url = env.get(URL_ENV).strip();
            from = URL_ENV;
        } else if (text(config, "gateway_url").isPresent()) {
            url = text(config, "gateway_url").get();
            from = "gateway_url in " + file;
        }
        boolean envCredentials = nonBlank(env.get(TOKEN_ENV)).isPresent() || nonBlank(env.get(USER_ENV)).isPresent();
        Optional<String> token = envCredentials ? nonBlank(env.get(TOKEN_ENV)) : text(config, "token");
        Optional<String> user = envCredentials ? nonBlank(env.get(USER_ENV)) : text(config, "user");
        Optional<String> password = envCredentials ? nonBlank(env.get(PASSWORD_ENV)) : text(config, "password");
        return new GatewaySettings(url, from, token, user, password, caFile(env, config, file), problem);
    }

    /** The same credentials for another gateway URL (a {@code %%configure} that names one). */
    public GatewaySettings withUrl(String newUrl, String from) {
        return new GatewaySettings(newUrl, from, token, user, password, caFile, problem);
    }

    /**
     * The CA file from the environment, else the config file's {@code ca_file}: a relative path in the config file is
     * taken from the file's directory, and {@code ~/} is the home directory, as a user writing JSON by hand expects.
     */
    private static Optional<CaFile> caFile(Map<String, String> env, JsonObject config, Path configFile) {
        Optional<String> fromEnv = nonBlank(env.get(CA_FILE_ENV));
        if (fromEnv.isPresent()) {
            return Optional.of(new CaFile(Path.of(fromEnv.get()).toAbsolutePath(), CA_FILE_ENV));
        }
        return text(config, "ca_file").map(value -> {
            Path path = value.startsWith("~/") ? Path.of(System.getProperty("user.home"), value.substring(2))
                    : configFile.toAbsolutePath().getParent().resolve(value);
            return new CaFile(path.normalize(), "ca_file in " + configFile);
        });
    }

    /** The {@code Authorization} header value, if credentials are set: a bearer token wins over user/password. */
    public Optional<String> authorization() {
        if (token.isPresent()) {
            return Optional.of("Bearer " + token.get());
        }
        if (user.isPresent()) {
            String pair = user.get() + ":" + password.orElse("");
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.empty();
    }

    /** Never shows the secrets: this may end up in a log. */
    @Override
    public String toString() {
        return "GatewaySettings[url=" + url + " (from " + urlFrom + "), credentials="
                + (token.isPresent() ? "token" : user.isPresent() ? "user " + user.get() : "none")
                + caFile.map(ca -> ", caFile=" + ca.path()).orElse("") + "]";
    }

    private static Optional<String> text(JsonObject config, String key) {
        JsonElement value = config.get(key);
        return value != null && value.isJsonPrimitive() ? nonBlank(value.getAsString()) : Optional.empty();
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
