package io.hearth.kernel.gateway;

import java.net.URI;
import java.net.URISyntaxException;

/** What makes a gateway URL usable: http(s) with a host; compared and used without trailing slashes. */
public final class GatewayUrl {

    private GatewayUrl() {
    }

    /** Null when {@code url} is a usable http(s) base URL, else what is wrong with it. */
    public static String problem(String url) {
        String problem = "The Hearth gateway URL '" + url + "' (HEARTH_GATEWAY_URL) is not a valid http:// or https:// URL";
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                return problem + ".";
            }
            return null;
        } catch (URISyntaxException e) {
            return problem + " (" + e.getReason() + ").";
        }
    }

    /** {@code url} without surrounding blanks and trailing slashes; empty for null. */
    public static String normalized(String url) {
        String result = url == null ? "" : url.strip();
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
