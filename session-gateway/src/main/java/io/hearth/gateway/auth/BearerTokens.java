package io.hearth.gateway.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** {@code Authorization: Bearer <token>}, checked against the SHA-256 hashes of a tokens file. */
public final class BearerTokens implements Authenticator {

    private static final String PREFIX = "bearer ";

    private final List<CredentialFile.Entry<TokenHash>> tokens;

    BearerTokens(List<CredentialFile.Entry<TokenHash>> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** Reads a tokens file ({@code user:sha256:<hex>} lines). */
    public static BearerTokens fromFile(Path file) throws IOException {
        return new BearerTokens(CredentialFile.read(file, TokenHash::parse));
    }

    /** Not throttled: a token is not guessable, and checking one costs one SHA-256. */
    @Override
    public Result authenticate(UnaryOperator<String> header, String client) {
        String authorization = header.apply("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return new NotApplicable();
        }
        TokenHash presented = TokenHash.of(authorization.substring(PREFIX.length()).strip());
        // Every entry is compared, matching or not, so the time taken does not depend on where a match is.
        String user = null;
        for (CredentialFile.Entry<TokenHash> entry : tokens) {
            if (entry.hash().matches(presented) && user == null) {
                user = entry.user();
            }
        }
        return user == null ? new Refused("unknown bearer token") : new Authenticated(user);
    }

    @Override
    public String challenge() {
        return "Bearer realm=\"hearth\"";
    }

    @Override
    public String usage() {
        return "Bearer <token>";
    }

    @Override
    public String toString() {
        return "BearerTokens[" + tokens.size() + " tokens]";
    }
}
