package io.hearth.engine.jshell;

import java.io.File;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * Loads JShell's compiled snippet classes into the engine JVM and also writes each one into the REPL class directory,
 * so executors (which never see this loader) can fetch the same bytes; first, {@link TopLevelCapture} makes their
 * lambdas carry the top-level variables they read.
 */
final class SnippetLoaderDelegate implements LoaderDelegate {

    private final SnippetClassLoader loader;
    private final ReplClassDirectory replClasses;
    private final Map<String, Class<?>> loaded = new LinkedHashMap<>();
    private final TopLevelCapture capture;

    SnippetLoaderDelegate(SnippetClassLoader loader, ReplClassDirectory replClasses) {
        this.loader = loader;
        this.replClasses = replClasses;
        this.capture = new TopLevelCapture(loader::bytesOf);
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] installed = new boolean[classes.length];
        for (ClassBytecodes c : classes) {
            byte[] bytes = capture.rewrite(c.name(), c.bytecodes());
            loader.declare(c.name(), bytes);
            replClasses.write(c.name(), bytes);
        }
        int i = 0;
        try {
            for (; i < classes.length; i++) {
                Class<?> klass = loader.loadClass(classes[i].name());
                synchronized (loaded) {
                    loaded.put(classes[i].name(), klass);
                }
                installed[i] = true;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ClassInstallException("cannot load " + classes[i].name() + ": " + e, installed);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        // Never called: redefine() is not implemented (DirectExecutionControl), so JShell loads new class names.
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        try {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    loader.addClassPathEntry(Path.of(entry).toUri().toURL());
                }
            }
        } catch (MalformedURLException | RuntimeException e) {
            throw new InternalException("bad class path " + path + ": " + e);
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        synchronized (loaded) {
            Class<?> klass = loaded.get(name);
            if (klass != null) {
                return klass;
            }
        }
        return loader.loadClass(name);
    }

}
