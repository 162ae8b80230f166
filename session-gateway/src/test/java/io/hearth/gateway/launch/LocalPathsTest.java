package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth.session.allowed-local-dirs} on real files: a path inside an allowed directory passes, with or without
 * {@code file:}/{@code local:} and a {@code #name}; one outside, reached by {@code ..} or through a link out of the
 * directory, relative, or a pattern, is a 400 naming the key and the setting; remote URLs pass.
 */
class LocalPathsTest {

    @TempDir
    Path root;

    @Test
    void filesInsideAnAllowedDirectoryPassAndOthersAreRefusedByName() throws Exception {
        Path allowed = Files.createDirectories(root.resolve("allowed"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path jar = Files.writeString(allowed.resolve("lib.jar"), "x");
        Path secret = Files.writeString(outside.resolve("secret.txt"), "x");
        Files.createSymbolicLink(allowed.resolve("link-out"), outside);
        Files.createSymbolicLink(allowed.resolve("secret-link.txt"), secret);
        LocalPaths paths = new LocalPaths(List.of(allowed));

        paths.check(Map.of("spark.jars", jar + ",file:" + jar + ",local:" + jar,
                "spark.archives", jar + "#env", "spark.files", "hdfs://nn/x.txt,s3a://b/k,https://h/x.py",
                "spark.driver.extraClassPath", jar + ":" + allowed + "/*",
                "spark.jars.ivy", allowed.resolve("ivy/not-yet").toString()));

        assertRefused(paths, "spark.files", secret.toString(), "is not in a directory");
        assertRefused(paths, "spark.files", allowed + "/../outside/secret.txt", "is not in a directory");
        assertRefused(paths, "spark.submit.pyFiles", allowed.resolve("link-out/secret.txt").toString(),
                "is not in a directory");
        assertRefused(paths, "spark.files", allowed.resolve("secret-link.txt").toString(), "is not in a directory");
        assertRefused(paths, "spark.jars", "file://" + secret, "is not in a directory");
        assertRefused(paths, "spark.jars", "lib.jar", "relative path");
        assertRefused(paths, "spark.jars", allowed + "/*.jar", "pattern");
        assertRefused(paths, "spark.driver.extraClassPath", jar + ":" + outside, "is not in a directory");
        assertRefused(paths, "spark.jars.ivySettings", secret.toString(), "is not in a directory");
        assertRefused(paths, "spark.jars.ivy", allowed + "/new/../../outside/ivy", "is not in a directory");

        ApiException none = assertThrows(ApiException.class,
                () -> new LocalPaths(List.of()).check(Map.of("spark.jars", jar.toString())));
        assertTrue(none.getMessage().contains("hearth.session.allowed-local-dirs is not set"), none.getMessage());
    }

    private static void assertRefused(LocalPaths paths, String key, String value, String why) {
        ApiException e = assertThrows(ApiException.class, () -> paths.check(Map.of(key, value)), key + "=" + value);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith(key + ": ") && e.getMessage().contains(why), e.getMessage());
    }
}
