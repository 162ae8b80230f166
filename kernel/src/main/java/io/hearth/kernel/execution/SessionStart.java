package io.hearth.kernel.execution;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.hearth.kernel.gateway.GatewaySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * When the kernel starts its session: {@code early}, as the kernel starts, so that Spark starts while the user types
 * the first cell; or at the {@code first-cell}. From {@value #ENV}, else {@code session_start} in the kernel's config
 * file (where the gateway URL is), else early.
 */
public enum SessionStart {
    EARLY("early"),
    FIRST_CELL("first-cell");

    /** The environment variable that chooses, e.g. in kernel.json's env or a test harness. */
    public static final String ENV = "HEARTH_SESSION_START";
    /** The key in the kernel's config file. */
    public static final String CONFIG_KEY = "session_start";

    private final String wireName;

    SessionStart(String wireName) {
        this.wireName = wireName;
    }

    /** The name users write. */
    public String wireName() {
        return wireName;
    }

    /**
     * The choice {@code env} and its config file make.
     *
     * @throws IllegalArgumentException naming the value and its source when it is neither choice
     */
    public static SessionStart resolve(Map<String, String> env) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, ENV);
        }
        Path file = GatewaySettings.configFile(env);
        return configValue(file).map(value -> parse(value, CONFIG_KEY + " in " + file)).orElse(EARLY);
    }

    private static SessionStart parse(String value, String from) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(from + " is '" + value + "'; use "
                        + Arrays.stream(values()).map(SessionStart::wireName).collect(Collectors.joining(" or "))));
    }

    /** The config file's value, if it has one; a missing or broken file is GatewaySettings' to report. */
    private static Optional<String> configValue(Path file) {
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            JsonElement value = parsed.isJsonObject() ? parsed.getAsJsonObject().get(CONFIG_KEY) : null;
            return value != null && value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
        } catch (IOException | JsonParseException e) {
            return Optional.empty();
        }
    }
}
