package io.hearth.gateway.launch;

import io.hearth.gateway.config.Settings;
import io.hearth.gateway.http.ApiException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator's allow-list for files of the gateway's host that a session or batch names ({@code jars},
 * {@code pyFiles}, {@code files}, {@code archives}, a batch's {@code file}, and the Spark keys they become): spark-submit
 * reads and ships them as the gateway's user, so a client could otherwise take any file that user can read. A path is
 * allowed when its real location, links resolved, lies inside the real location of an allowed directory; remote URLs
 * ({@code hdfs:}, {@code s3a:}, {@code https:}...) are not the gateway's files and pass.
 */
public final class LocalPaths {

    /** Comma lists of files or URLs, each possibly with a {@code #name} for the copy. */
    private static final List<String> URL_LISTS = List.of("spark.jars", "spark.submit.pyFiles", "spark.files",
            "spark.archives", "spark.yarn.dist.jars", "spark.yarn.dist.files", "spark.yarn.dist.archives",
            "spark.yarn.dist.pyFiles");
    /** Class path lists ({@code :}-separated plain paths, a trailing {@code *} for every jar of a directory). */
    private static final List<String> CLASS_PATHS = List.of("spark.driver.extraClassPath");
    /** Single paths Spark reads or writes on the driver's host. */
    private static final List<String> SINGLE_PATHS = List.of(SparkDefaults.IVY_DIR, "spark.jars.ivySettings");

    private final List<Path> allowed;

    /** @param allowed {@code hearth.session.allowed-local-dirs}; empty: no local path is allowed */
    public LocalPaths(List<Path> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Refuses (400) a local path in {@code conf} outside the allowed directories, naming the key and the path. */
    public void check(Map<String, String> conf) {
        for (String key : URL_LISTS) {
            String value = conf.get(key);
            if (value != null) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) {
                        checkUrl(key, item.trim());
                    }
                }
            }
        }
        for (String key : CLASS_PATHS) {
            String value = conf.get(key);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        String path = entry.endsWith("/*") ? entry.substring(0, entry.length() - 2) : entry;
                        checkPath(key, entry, path.trim());
                    }
                }
            }
        }
        for (String key : SINGLE_PATHS) {
            String value = conf.get(key);
            if (value != null && !value.isBlank()) {
                checkUrl(key, value.trim());
            }
        }
    }

    /** Checks a file or URL as Spark reads it: no scheme, {@code file:} and {@code local:} are this host's files. */
    public void checkUrl(String key, String item) {
        String withoutName = item.contains("#") ? item.substring(0, item.indexOf('#')) : item;
        URI uri;
        try {
            uri = new URI(withoutName);
        } catch (URISyntaxException e) {
            // Spark takes such a string as a plain local path.
            checkPath(key, item, withoutName);
            return;
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            checkPath(key, item, withoutName);
        } else if (scheme.equals("file") || scheme.equals("local")) {
            checkPath(key, item, uri.getPath() == null ? uri.getSchemeSpecificPart() : uri.getPath());
        }
    }

    private void checkPath(String key, String item, String pathText) {
        if (pathText.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
            throw ApiException.badRequest(key + ": '" + item + "' is a pattern; name each file of the gateway's host"
                    + " on its own");
        }
        Path path = Path.of(pathText);
        if (!path.isAbsolute()) {
            throw ApiException.badRequest(key + ": '" + item + "' is a relative path; give files of the gateway's"
                    + " host as absolute paths, or a URL Spark can fetch (hdfs:, s3a:, https:)");
        }
        Path real = realLocation(path);
        for (Path dir : allowed) {
            if (Files.isDirectory(dir) && real.startsWith(realLocation(dir))) {
                return;
            }
        }
        throw ApiException.badRequest(key + ": '" + item + "' is not in a directory the operator allows for local"
                + " files (" + Settings.ALLOWED_LOCAL_DIRS.key() + (allowed.isEmpty() ? " is not set" : ": "
                + String.join(", ", allowed.stream().map(Path::toString).toList())) + "); put it in one, or give a URL"
                + " Spark can fetch (hdfs:, s3a:, https:)");
    }

    /**
     * The path with every link and {@code ..} resolved; for a path that does not exist yet (an Ivy directory), its
     * deepest existing ancestor resolved, the rest appended.
     */
    private static Path realLocation(Path path) {
        // Links are resolved by the file system before any "..", as the kernel does when Spark opens the path.
        List<Path> missing = new ArrayList<>();
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            missing.add(0, existing.getFileName());
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing == null ? path.getRoot() : existing.toRealPath();
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read '" + path + "' on the gateway's host: " + e.getMessage());
        }
        for (Path part : missing) {
            real = real.resolve(part);
        }
        return real.normalize();
    }
}
