package io.hearth.engine.start;

import io.hearth.protocol.EngineEnvironment;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The session's Spark configuration as the gateway hands it over: a properties file only this user can read, named by
 * {@link EngineEnvironment#CONF_FILE_ENV}, read once and deleted at once, so client conf values (storage keys...) never
 * show in a process listing and do not linger on disk.
 */
public final class EngineConfFile {

    private EngineConfFile() {}

    /** The {@code spark.*} entries of {@code properties}: what spark-submit hands its driver as system properties. */
    public static Map<String, String> sparkProperties(Properties properties) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("spark.")) {
                conf.put(key, properties.getProperty(key));
            }
        }
        return conf;
    }

    /** The file's settings (empty when there is no file); it is gone afterwards, even if it could not be read. */
    public static Map<String, String> readAndDelete(String name) throws EngineStartException {
        if (name == null) {
            return Map.of();
        }
        Path file = Path.of(name);
        Properties props = new Properties();
        try {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new EngineStartException("cannot read the session configuration " + file + " (" + EngineEnvironment.CONF_FILE_ENV + "): " + e, e);
        }
        Map<String, String> conf = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            conf.put(key, props.getProperty(key));
        }
        return conf;
    }
}
