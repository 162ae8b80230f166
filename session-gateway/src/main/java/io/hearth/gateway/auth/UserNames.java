package io.hearth.gateway.auth;

/** What a user name in a tokens or users file may be: HTTP Basic cannot carry a ':' in one. */
final class UserNames {

    static final String RULE = "a user name must be non-empty, without ':' or whitespace";

    private UserNames() {}

    static boolean isValid(String user) {
        return user != null && !user.isEmpty() && user.indexOf(':') < 0 && user.chars().noneMatch(Character::isWhitespace);
    }
}
