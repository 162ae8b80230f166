package io.hearth.gateway.http;

/** A request the REST API refuses, with the HTTP status and the {@code msg} the client sees. */
public final class ApiException extends RuntimeException {

    private final int status;
    /** Seconds for a {@code Retry-After} header, or 0 for none. */
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0);
    }

    private ApiException(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: a limit is reached; {@code retryAfterSeconds} (0 = none) says when trying again may work. */
    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, message, retryAfterSeconds);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** Livy's words for a session path segment that names no session, so clients that match on them still do. */
    public static ApiException noSession(String idOrName) {
        return notFound("Session '" + idOrName + "' not found.");
    }

    /** Livy says "Session" here too (batches share its servlet); the gateway names what is missing. */
    public static ApiException noBatch(String idOrName) {
        return notFound("Batch '" + idOrName + "' not found.");
    }

    /** Livy's text is "Statement not found"; this one names the statement and the session, in Livy's style. */
    public static ApiException noStatement(String statement, String session) {
        return notFound("Statement " + statement + " not found in session '" + session + "'.");
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
