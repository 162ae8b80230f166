package io.hearth.gateway;

import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Setting;
import io.hearth.gateway.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Gateway configurations for tests, built the way an operator's are: each setting given as text and resolved by
 * {@link GatewayConfig#resolve}, so a test's configuration passes the same parsing and checks. Immutable.
 */
public final class TestConfig {

    private final Map<String, String> values;

    private TestConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The defaults, with this engine jar and Python, any free REST port, and no pool of warm engines: a test whose
     * subject is the pool turns it on, no other test pays for engines it does not use.
     */
    public static TestConfig of(Path engineJar, String python) {
        return new TestConfig(Map.of()).with(Settings.ENGINE_JAR, engineJar).with(Settings.PYTHON, python)
                .with(Settings.PORT, 0).with(Settings.POOL_SIZE, 0);
    }

    /** A copy with the setting given as {@code value}'s text ({@code 2s} for a duration, not a {@code Duration}). */
    public TestConfig with(Setting<?> setting, Object value) {
        Map<String, String> changed = new LinkedHashMap<>(values);
        changed.put(setting.key(), String.valueOf(value));
        return new TestConfig(changed);
    }

    /**
     * A copy with the {@code hearth.auth.*}, CSRF and listen settings that make up {@code auth}. Engines run as the
     * gateway's own OS account ({@code hearth.engine.shared-os-user}): the users of these tests have no accounts; the
     * test of engines that run as their users' accounts turns it off.
     */
    public TestConfig withAuth(AuthSettings auth) {
        TestConfig c = with(Settings.SHARED_OS_USER, true).with(Settings.AUTH_METHODS, auth.methods().isEmpty() ? "none"
                : auth.methods().stream().map(AuthSettings.Method::wireName).collect(Collectors.joining(",")))
                .with(Settings.AUTH_SUPERUSERS, String.join(",", auth.superusers()))
                .with(Settings.CSRF_ENABLED, auth.csrfEnabled())
                .with(Settings.ALLOW_UNAUTHENTICATED, auth.allowUnauthenticated());
        if (auth.tokensFile() != null) {
            c = c.with(Settings.AUTH_TOKENS_FILE, auth.tokensFile());
        }
        return auth.usersFile() == null ? c : c.with(Settings.AUTH_USERS_FILE, auth.usersFile());
    }

    public GatewayConfig build() {
        return GatewayConfig.resolve(values, Map.of(), new Properties());
    }
}
