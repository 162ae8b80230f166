package io.hearth.gateway.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** An operating-system account an engine can run as: its name, ids and home directory, as the system's user database has them. */
public record OsAccount(String name, int uid, int gid, Path home) {

    /** Names as {@code useradd} takes them by default; anything else is never passed to a command. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    /** Whether {@code name} has the form of an account name (not whether the account exists). */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The account of that name from the system's user database ({@code getent passwd}, so LDAP and other NSS sources
     * count), or empty when there is none or the name is not an account name.
     */
    public static Optional<OsAccount> lookup(String name) throws IOException {
        if (!validName(name)) {
            return Optional.empty();
        }
        Process getent = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
        getent.getOutputStream().close();
        String out = new String(getent.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!getent.waitFor(10, TimeUnit.SECONDS)) {
                getent.destroyForcibly();
                throw new IOException("getent passwd " + name + " did not answer within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking up the account " + name, e);
        }
        // name:password:uid:gid:gecos:home:shell; exit code 2 is "no such key"
        String[] fields = out.split(":", -1);
        if (getent.exitValue() != 0 || fields.length < 7 || !fields[0].equals(name)) {
            return Optional.empty();
        }
        return Optional.of(new OsAccount(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]),
                Path.of(fields[5])));
    }

    /** The uid this process runs as. */
    public static int currentUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
