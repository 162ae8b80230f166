package io.hearth.engine.start;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The jars spark-submit added to the driver beyond its JVM class path: {@code spark.jars} and resolved
 * {@code spark.jars.packages}, local copies of remote ones included, which it puts in the class loader it runs the
 * engine under. The compilers of Scala and Java statements read a class path, not a loader, and need them too.
 */
public final class UserJars {

    private UserJars() {}

    /** The local jar files of every URL class loader from {@code loader} up to the system loader, nearest last. */
    public static List<Path> of(ClassLoader loader) {
        List<ClassLoader> chain = new ArrayList<>();
        for (ClassLoader l = loader; l != null && l != ClassLoader.getSystemClassLoader(); l = l.getParent()) {
            chain.add(0, l);
        }
        Set<Path> jars = new LinkedHashSet<>();
        for (ClassLoader l : chain) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        try {
                            Path p = Path.of(url.toURI());
                            if (Files.isRegularFile(p)) {
                                jars.add(p);
                            }
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a plain file URL: nothing a compiler could read
                        }
                    }
                }
            }
        }
        return new ArrayList<>(jars);
    }

    /** {@code classPath} followed by {@link #of(ClassLoader)}, as one class path string. */
    public static String append(String classPath, ClassLoader loader) {
        StringBuilder all = new StringBuilder(classPath);
        for (Path jar : of(loader)) {
            all.append(File.pathSeparator).append(jar);
        }
        return all.toString();
    }
}
