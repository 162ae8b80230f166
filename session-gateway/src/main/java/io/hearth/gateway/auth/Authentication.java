package io.hearth.gateway.auth;

import io.hearth.gateway.config.AuthSettings;
import io.hearth.gateway.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Turns a request's credentials and its {@code doAs} parameter into the {@link Caller} it acts for, trying each
 * configured {@link Authenticator} in turn: 401 when none accepts the credentials, 403 for a {@code doAs} the user may
 * not take.
 */
public final class Authentication implements AutoCloseable {

    private final List<Authenticator> authenticators;
    private final Set<String> superusers;

    Authentication(List<Authenticator> authenticators, Set<String> superusers) {
        this.authenticators = List.copyOf(authenticators);
        this.superusers = Set.copyOf(superusers);
    }

    /** Loads the tokens and users files the settings name. */
    public static Authentication from(AuthSettings settings) throws IOException {
        List<Authenticator> list = new ArrayList<>();
        if (settings.methods().contains(AuthSettings.Method.TOKEN)) {
            list.add(BearerTokens.fromFile(settings.tokensFile()));
        }
        if (settings.methods().contains(AuthSettings.Method.BASIC)) {
            list.add(BasicPasswords.fromFile(settings.usersFile()));
        }
        return new Authentication(list, settings.superusers());
    }

    public boolean enabled() {
        return !authenticators.isEmpty();
    }

    /** The {@code WWW-Authenticate} challenges of a 401, one per method. */
    public List<String> challenges() {
        return authenticators.stream().map(Authenticator::challenge).toList();
    }

    /**
     * @param header a request header by name, null when absent
     * @param doAs   Livy's {@code doAs} query parameter, or null
     * @param client the caller's network address
     * @throws ApiException 401 without valid credentials, 403 for a {@code doAs} this user may not use, 429 while
     *                      password checks for this user or address are backing off
     */
    public Caller authenticate(UnaryOperator<String> header, String doAs, String client) {
        if (doAs != null && doAs.isBlank()) {
            throw ApiException.badRequest("doAs must name a user");
        }
        if (!enabled()) {
            // As in Livy without authentication: everyone may do everything, and doAs only names who acts.
            return doAs == null ? Caller.anonymous() : new Caller(doAs, true);
        }
        Caller caller = null;
        for (Authenticator a : authenticators) {
            Authenticator.Result r = a.authenticate(header, client);
            if (r instanceof Authenticator.Authenticated ok) {
                caller = new Caller(ok.user(), superusers.contains(ok.user()));
                break;
            }
            if (r instanceof Authenticator.Throttled t) {
                throw ApiException.tooManyRequests(t.message(), t.retryAfterSeconds());
            }
            if (r instanceof Authenticator.Refused) {
                throw new ApiException(401, "Authentication failed: the credentials are not valid");
            }
        }
        if (caller == null) {
            throw new ApiException(401, "Authentication required: send 'Authorization: "
                    + String.join("' or 'Authorization: ", authenticators.stream().map(Authenticator::usage).toList())
                    + "'");
        }
        if (doAs == null || doAs.equals(caller.user())) {
            return caller;
        }
        if (!caller.superuser()) {
            // Livy's wording for the same refusal.
            throw new ApiException(403, "User '" + caller.user() + "' not allowed to impersonate '" + doAs + "'.");
        }
        return new Caller(doAs, superusers.contains(doAs));
    }

    /** Stops the password checks' threads. */
    @Override
    public void close() {
        authenticators.forEach(Authenticator::close);
    }
}
