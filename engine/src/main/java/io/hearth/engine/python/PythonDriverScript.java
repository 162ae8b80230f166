package io.hearth.engine.python;

import io.hearth.engine.start.EngineStartException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The Python half of the interpreter, shipped in the engine jar and written to a private temp file for python3. */
final class PythonDriverScript implements AutoCloseable {

    static final String RESOURCE = "hearth_python.py";

    private final Path directory;
    private final Path script;

    private PythonDriverScript(Path directory, Path script) {
        this.directory = directory;
        this.script = script;
    }

    static PythonDriverScript extract() throws EngineStartException {
        try (InputStream in = PythonDriverScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new EngineStartException("the engine jar lacks its Python driver " + RESOURCE);
            }
            Path dir = Files.createTempDirectory("hearth-python-");
            Path script = dir.resolve(RESOURCE);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            return new PythonDriverScript(dir, script);
        } catch (IOException e) {
            throw new EngineStartException("could not write the Python driver to a temp directory: " + e, e);
        }
    }

    Path path() {
        return script;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(script);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // a leftover file in the temp directory harms nobody
        }
    }
}
