package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every setting is declared once, and the README's settings table is exactly what the declarations say. */
class SettingsTest {

    private static final String TABLE_HEADER = "| property | environment | default | meaning |";

    @Test
    void theReadmeSettingsTableIsTheDeclarations() throws IOException {
        String readme = Files.readString(readme());
        List<String> table = new ArrayList<>();
        boolean inTable = false;
        for (String line : readme.split("\n", -1)) {
            inTable = inTable ? line.startsWith("|") : line.equals(TABLE_HEADER);
            if (inTable) {
                table.add(line);
            }
        }
        String expected = Settings.markdownTable();
        assertEquals(expected, String.join("\n", table) + "\n",
                "README.md's settings table differs from the declarations in Settings; it should read:\n" + expected);
    }

    @Test
    void everyDeclaredSettingIsListedOnceAndEveryKeyAndVariableIsDistinct() throws IllegalAccessException {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                declared.add((Setting<?>) f.get(null));
            }
        }
        assertEquals(Set.copyOf(declared), Set.copyOf(Settings.ALL), "a setting declared in Settings is missing from ALL");
        assertEquals(declared.size(), Settings.ALL.size());
        Set<String> names = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            assertTrue(names.add(s.key()), "twice: " + s.key());
            assertTrue(names.add(s.env()), "twice: " + s.env());
        }
    }

    @Test
    void everyDefaultIsAValidValueOfItsSetting() {
        GatewayConfig defaults = GatewayConfig.resolve(Map.of(), Map.of(), new Properties());
        for (Setting<?> s : Settings.ALL) {
            assertEquals(s.defaultValue() == null, defaults.get(s) == null, s.key());
        }
    }

    /** The repository's README: up from the module's directory, where the build runs its tests. */
    private static Path readme() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("session-gateway"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}
