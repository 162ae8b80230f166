package io.hearth.gateway.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The security settings of a gateway: which authentication methods are on and their files, the superusers, CSRF
 * protection, and the explicit override to listen beyond loopback without authentication.
 */
public record AuthSettings(Set<Method> methods, Path tokensFile, Path usersFile, Set<String> superusers,
                           boolean csrfEnabled, boolean allowUnauthenticated) {

    /** An authentication method, by its name in {@code hearth.auth.methods}. */
    public enum Method {
        TOKEN, BASIC;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AuthSettings {
        methods = Set.copyOf(methods);
        superusers = Set.copyOf(superusers);
        if (methods.contains(Method.TOKEN) && tokensFile == null) {
            throw new IllegalArgumentException(Settings.AUTH_METHODS.key() + " has token, so "
                    + Settings.AUTH_TOKENS_FILE.key() + " must be set");
        }
        if (methods.contains(Method.BASIC) && usersFile == null) {
            throw new IllegalArgumentException(Settings.AUTH_METHODS.key() + " has basic, so "
                    + Settings.AUTH_USERS_FILE.key() + " must be set");
        }
    }

    /** Authentication off, CSRF off: the default. */
    public static AuthSettings none() {
        return new AuthSettings(Set.of(), null, null, Set.of(), false, false);
    }

    public boolean authenticates() {
        return !methods.isEmpty();
    }

    /** {@code none}, {@code token}, {@code basic} or both comma-separated, in either order. */
    public static Set<Method> parseMethods(String key, String text) {
        Set<Method> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String m = part.strip().toLowerCase(Locale.ROOT);
            switch (m) {
                case "none" -> { }
                case "token" -> out.add(Method.TOKEN);
                case "basic" -> out.add(Method.BASIC);
                default -> throw new IllegalArgumentException(key + " must be none, token, basic or token,basic, not '"
                        + text + "'");
            }
        }
        if (!out.isEmpty() && List.of(text.toLowerCase(Locale.ROOT).split(",")).stream().anyMatch(
                p -> p.strip().equals("none"))) {
            throw new IllegalArgumentException(key + " cannot combine none with other methods: '" + text + "'");
        }
        return out;
    }

    /** A comma list of user names; blanks are dropped. */
    public static Set<String> parseUsers(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
