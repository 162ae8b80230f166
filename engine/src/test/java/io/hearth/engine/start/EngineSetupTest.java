package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.protocol.EngineEnvironment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's command line and its conf file: the parts of its start that need no Spark. */
class EngineSetupTest {

    @Test
    void repeatedConfArgumentsBecomeTheSparkConfiguration() {
        EngineArguments args = EngineArguments.parse("--conf", "spark.master=local[2]", "--conf=spark.x=a=b");
        assertEquals(Map.of("spark.master", "local[2]", "spark.x", "a=b"), args.sparkConf());
        assertEquals(Map.of(), EngineArguments.parse().sparkConf());
    }

    @Test
    void malformedArgumentsAreRefusedWithTheirText() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineArguments.parse("--conf", "novalue"))
                .getMessage().contains("novalue"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EngineArguments.parse("--verbose"))
                .getMessage().contains("--verbose"));
        assertThrows(IllegalArgumentException.class, () -> EngineArguments.parse("--conf"));
    }

    @Test
    void theConfFileIsReadOnceAndDeleted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("session.conf");
        java.nio.file.Files.writeString(file, "spark.master=local[1]\nspark.hadoop.fs.s3a.secret.key=k\\=v\n");
        Map<String, String> conf = EngineConfFile.readAndDelete(file.toString());
        assertEquals(Map.of("spark.master", "local[1]", "spark.hadoop.fs.s3a.secret.key", "k=v"), conf);
        assertFalse(java.nio.file.Files.exists(file), "the file is deleted once read");
        assertEquals(Map.of(), EngineConfFile.readAndDelete(null));
        java.util.Properties system = new java.util.Properties();
        system.setProperty("spark.master", "yarn");
        system.setProperty("java.version", "17");
        assertEquals(Map.of("spark.master", "yarn"), EngineConfFile.sparkProperties(system));
        assertTrue(assertThrows(EngineStartException.class,
                () -> EngineConfFile.readAndDelete(file.toString())).getMessage()
                .contains(EngineEnvironment.CONF_FILE_ENV));
    }

}
