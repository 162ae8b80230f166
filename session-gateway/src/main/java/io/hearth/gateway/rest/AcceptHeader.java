package io.hearth.gateway.rest;

import java.util.Locale;

/** Reads an HTTP {@code Accept} header far enough to choose between Livy's JSON and a Server-Sent Events stream. */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /**
     * Whether {@code accept} asks for {@code text/event-stream} at least as much as for JSON. Livy clients send no
     * Accept, {@code application/json} or {@code * / *}, and get JSON; a proxy may add parameters or q-values to the
     * kernel's {@code text/event-stream, application/json;q=0.5} without turning the stream off.
     */
    static boolean prefersEventStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double stream = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (type.equals("text/event-stream")) {
                stream = Math.max(stream, q);
            } else if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
                json = Math.max(json, q);
            }
        }
        return stream > 0 && stream >= json;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0; // a malformed weight is no preference
                }
            }
        }
        return 1;
    }
}
