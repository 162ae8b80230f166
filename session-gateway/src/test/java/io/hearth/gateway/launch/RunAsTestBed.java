package io.hearth.gateway.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hearth.gateway.auth.TokenHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test of engines that run as users' OS accounts stands on: throwaway OS users ({@code useradd}) with homes
 * under a world-passable (0711, like /var/lib) root of the test's own, a tokens file for the gateway, and the engine
 * jar and a Python with pyspark where those users can read and run them. Needs root; {@link #close()} stops what the
 * users still run, deletes them and the root.
 */
final class RunAsTestBed implements AutoCloseable {

    private final Path root;
    private final List<String> users;
    private final List<String> madeUsers = new ArrayList<>();

    private RunAsTestBed(Path root, List<String> users) {
        this.root = root;
        this.users = users;
    }

    /**
     * Makes {@code users} (the first is the one whose access decides where the jar and Python must be), or aborts the
     * calling test class with a loud message when not root.
     */
    static RunAsTestBed make(String testName, List<String> users) throws Exception {
        if (OsAccount.currentUid() != 0) {
            String banner = "!".repeat(100);
            System.err.println(banner + "\nSKIPPED: " + testName + " needs root (to make OS users and to run engines as"
                    + " them); run the tests as root to check engines that run as their users\n" + banner);
            Assumptions.abort("not root: engines cannot run as other OS users");
        }
        Path root = Files.createTempDirectory("hearth-t-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
        RunAsTestBed bed = new RunAsTestBed(root, users);
        Path homes = Files.createDirectory(root.resolve("homes"));
        Files.setPosixFilePermissions(homes, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String user : users) {
            if (OsAccount.lookup(user).isPresent()) {
                run("userdel", user); // left by a run that was killed
            }
            run("useradd", "--create-home", "--home-dir", homes.resolve(user).toString(), "--shell", "/bin/sh", user);
            bed.madeUsers.add(user);
        }
        return bed;
    }

    /** The test's root directory (0711). */
    Path root() {
        return root;
    }

    /** The home of one of the users. */
    Path home(String user) {
        return root.resolve("homes").resolve(user);
    }

    /** A gateway tokens file (0600) in the root, giving each gateway user its token. */
    Path tokensFile(Map<String, String> tokens) throws Exception {
        Path file = root.resolve("tokens");
        StringBuilder text = new StringBuilder();
        tokens.forEach((user, token) -> text.append(user).append(':').append(TokenHash.of(token).encoded()).append('\n'));
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The engine jar, or a copy of it and its libraries where the test users can read them (not under /root). */
    Path engineJarTheUsersCanRead() throws Exception {
        Path jar = Path.of(System.getProperty("hearth.engine.jar"));
        assertTrue(Files.isRegularFile(jar), "build the engine first: " + jar);
        if (asFirstUser("test", "-r", jar.toString()) == 0
                && asFirstUser("test", "-x", jar.resolveSibling("lib").toString()) == 0) {
            return jar;
        }
        Path copy = Files.createDirectories(root.resolve("engine").resolve("lib"));
        try (Stream<Path> libs = Files.list(jar.resolveSibling("lib"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, copy.resolve(lib.getFileName()));
            }
        }
        run("chmod", "-R", "a+rX", root.resolve("engine").toString());
        return Files.copy(jar, root.resolve("engine").resolve(jar.getFileName()));
    }

    /**
     * The configured Python if the test users can run it with pyspark; else a venv of the system's Python of the same
     * version that sees the configured venv's packages (a venv made from a Python under /root, say, cannot be run by
     * anyone else). Fails saying what to fix when neither works.
     */
    String pythonTheUsersCanRun() throws Exception {
        String python = System.getProperty("hearth.python");
        if (runsPyspark(python)) {
            return python;
        }
        Path venv = Path.of(python).getParent().getParent();
        String version = Files.readAllLines(venv.resolve("pyvenv.cfg")).stream()
                .filter(l -> l.startsWith("version")).map(l -> l.substring(l.indexOf('=') + 1).trim())
                .findFirst().orElseThrow();
        String minor = version.substring(0, version.lastIndexOf('.'));
        Path system = Path.of("/usr/bin/python" + minor);
        Path sitePackages = venv.resolve("lib").resolve("python" + minor).resolve("site-packages");
        Path ours = root.resolve("venv");
        if (Files.isExecutable(system)) {
            if (asFirstUser("test", "-r", sitePackages.resolve("pyspark").resolve("__init__.py").toString()) != 0) {
                // The checkout is where the users cannot read (a clone under /root): its packages, linked (or, on
                // another file system, copied) into the test's root, which they can.
                Path linked = root.resolve("site-packages");
                if (new ProcessBuilder("cp", "-al", sitePackages.toString(), linked.toString()).start().waitFor() != 0) {
                    run("rm", "-rf", linked.toString());
                    run("cp", "-r", sitePackages.toString(), linked.toString());
                }
                run("chmod", "-R", "a+rX", linked.toString());
                sitePackages = linked;
            }
            run(system.toString(), "-m", "venv", "--without-pip", ours.toString());
            Files.writeString(ours.resolve("lib").resolve("python" + minor).resolve("site-packages")
                    .resolve("hearth-test.pth"), sitePackages + "\n");
            run("chmod", "-R", "a+rX", ours.toString());
            if (runsPyspark(ours.resolve("bin").resolve("python").toString())) {
                return ours.resolve("bin").resolve("python").toString();
            }
        }
        fail("The test users cannot run " + python + " with pyspark, nor " + system + " with " + sitePackages
                + ": install the venv where every user can read it (not under a 0700 home), or make " + system
                + " (Python " + minor + ") available");
        return null;
    }

    /**
     * Through a shell, as the engine starts it (from a process of the user's): the first exec straight from setpriv
     * was seen to reach a Python under /root that no later exec of that user's could.
     */
    private boolean runsPyspark(String python) throws Exception {
        return asFirstUser("/bin/sh", "-c", "exec \"$0\" -c 'import pyspark'", python) == 0;
    }

    private int asFirstUser(String... command) throws Exception {
        OsAccount account = OsAccount.lookup(users.get(0)).orElseThrow();
        Process p = new ProcessBuilder(RunAs.command(account, List.of(command))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** Runs {@code command} as this JVM's user; fails with its output unless it exits 0 within a minute. */
    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    /** The engine JVM running as {@code user}. */
    static ProcessHandle engineOf(String user) throws Exception {
        return awaitProcess(p -> p.info().user().orElse("").equals(user)
                && p.info().command().orElse("").endsWith("/java"));
    }

    /** The first process {@code which} matches, waiting up to 30 s for one. */
    static ProcessHandle awaitProcess(Predicate<ProcessHandle> which) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var found = ProcessHandle.allProcesses().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such process");
    }

    @Override
    public void close() throws Exception {
        for (String user : madeUsers) {
            // Whatever of theirs still runs (nothing, once a gateway has stopped their engines) goes first.
            for (ProcessHandle left : ProcessHandle.allProcesses()
                    .filter(p -> p.info().user().orElse("").equals(user)).toList()) {
                left.destroyForcibly();
                left.onExit().completeOnTimeout(left, 10, TimeUnit.SECONDS).join();
            }
            run("userdel", user);
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
