package io.hearth.gateway.auth;

import io.hearth.gateway.http.ApiException;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Livy's CSRF protection: a request that changes something must carry {@code X-Requested-By}, a header a browser's
 * cross-site form post or image load cannot add.
 */
public final class CsrfCheck {

    public static final String HEADER = "X-Requested-By";

    /** Livy's exact text, which clients may match on. */
    static final String MESSAGE = "Missing Required Header for CSRF protection.";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean enabled;

    public CsrfCheck(boolean enabled) {
        this.enabled = enabled;
    }

    /** @throws ApiException 400 for an unsafe method without the header, when protection is on */
    public void check(String method, UnaryOperator<String> header) {
        if (enabled && !SAFE_METHODS.contains(method) && header.apply(HEADER) == null) {
            throw ApiException.badRequest(MESSAGE);
        }
    }
}
