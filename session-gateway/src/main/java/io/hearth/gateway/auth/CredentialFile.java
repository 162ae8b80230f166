package io.hearth.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a tokens or users file: one {@code user:<hash>} a line, blank lines and {@code #} comments allowed. A bad line
 * stops the gateway with its file and line number, but never its content, which is a hash.
 */
final class CredentialFile {

    /** One line: whose it is, and its parsed hash. */
    record Entry<H>(String user, H hash) {}

    private CredentialFile() {}

    static <H> List<Entry<H>> read(Path file, Function<String, H> parseHash) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Entry<H>> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + " line " + (i + 1);
            if (colon <= 0) {
                throw new IllegalArgumentException(where + ": expected USER:HASH");
            }
            if (!UserNames.isValid(line.substring(0, colon))) {
                throw new IllegalArgumentException(where + ": " + UserNames.RULE);
            }
            try {
                entries.add(new Entry<>(line.substring(0, colon), parseHash.apply(line.substring(colon + 1))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(entries);
    }
}
