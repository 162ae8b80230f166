package io.hearth.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the build recorded about this gateway (session-gateway/pom.xml writes {@value #RESOURCE}): its version, the git
 * commit and branch it was built from, the git remote, the build's date (UTC, ISO-8601) and the user who built it.
 * Anything the build could not know, such as the commit of a build outside a git checkout, is {@value #UNKNOWN}.
 */
public record BuildInfo(String version, String revision, String branch, String url, String date, String user) {

    static final String RESOURCE = "/io/hearth/gateway/build-info.properties";
    static final String UNKNOWN = "unknown";

    /** This gateway's own build info, from its jar (or classes directory). */
    public static BuildInfo load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** @param in the properties, or null when there are none (a build that did not write them, such as an IDE's) */
    static BuildInfo read(InputStream in) throws IOException {
        Properties p = new Properties();
        if (in != null) {
            p.load(in);
        }
        return new BuildInfo(value(p, "version"), value(p, "revision"), value(p, "branch"), value(p, "url"),
                value(p, "date"), value(p, "user"));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() ? UNKNOWN : v.strip();
    }
}
