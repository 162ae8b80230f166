package io.hearth.kernel.install;

import com.google.gson.JsonObject;
import io.hearth.kernel.execution.SessionStart;
import io.hearth.kernel.jupyter.ConnectionInfo;
import io.hearth.kernel.jupyter.KernelProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The class-data-sharing archive (AppCDS) of the kernel's classes, made at install by one training run of the kernel
 * (started, asked what a notebook asks first, shut down), so that each kernel starts with its classes already parsed
 * and verified. Together with C1-only compilation (the kernel is a thin client; peak speed matters less than start)
 * this roughly halves the time from JVM start to the first kernel_info_reply (docs/benchmarks.md).
 */
public final class ClassArchive {

    /** The archive's file name in the kernelspec directory. */
    public static final String FILE = "hearth-kernel.jsa";
    private static final int REPLY_TIMEOUT_MILLIS = 60_000;
    private static final long EXIT_TIMEOUT_SECONDS = 60;

    private ClassArchive() {
    }

    /** The kernel JVM's options that use {@code archive}. */
    public static List<String> jvmOptions(Path archive) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1");
    }

    /**
     * Makes {@code archive} from one run of the kernel in {@code jar} on {@code java} (the same JVM and jar path the
     * kernelspec names: the archive is only used with them).
     *
     * @return the archive, or why it could not be made (the kernel then starts without one)
     */
    public static Result make(Path java, Path jar, Path archive) {
        Path work = null;
        Process kernel = null;
        try {
            work = Files.createTempDirectory("hearth-kernel-training-");
            Files.deleteIfExists(archive);
            ConnectionInfo connection = freeConnection();
            Path connectionFile = work.resolve("connection.json");
            Files.writeString(connectionFile, json(connection), StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:ArchiveClassesAtExit=" + archive,
                    "-jar", jar.toString(), connectionFile.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = builder.environment();
            // No gateway is asked: no cell runs, and the session would start only at one.
            env.put(SessionStart.ENV, SessionStart.FIRST_CELL.wireName());
            env.put("HEARTH_KERNEL_CONFIG", work.resolve("no-config.json").toString());
            kernel = builder.start();
            if (!KernelProbe.exercise(connection, REPLY_TIMEOUT_MILLIS)) {
                return Result.failed("the training kernel did not answer");
            }
            if (!kernel.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Result.failed("the training kernel did not exit");
            }
            return Files.isRegularFile(archive) ? Result.made(archive)
                    : Result.failed("the JVM wrote no archive (exit code " + kernel.exitValue() + ")");
        } catch (IOException | GeneralSecurityException e) {
            return Result.failed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        } finally {
            if (kernel != null && kernel.isAlive()) {
                kernel.destroyForcibly();
            }
            if (work != null) {
                deleteQuietly(work);
            }
        }
    }

    /** What {@link #make} gave: the archive, or the reason there is none. */
    public record Result(Optional<Path> archive, String problem) {
        static Result made(Path archive) {
            return new Result(Optional.of(archive), "");
        }

        static Result failed(String problem) {
            return new Result(Optional.empty(), problem);
        }
    }

    private static ConnectionInfo freeConnection() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return new ConnectionInfo("tcp", "127.0.0.1", held.get(0).getLocalPort(), held.get(1).getLocalPort(),
                held.get(2).getLocalPort(), held.get(3).getLocalPort(), held.get(4).getLocalPort(), "hmac-sha256",
                UUID.randomUUID().toString());
    }

    private static String json(ConnectionInfo c) {
        JsonObject o = new JsonObject();
        o.addProperty("transport", c.transport());
        o.addProperty("ip", c.ip());
        o.addProperty("shell_port", c.shellPort());
        o.addProperty("iopub_port", c.iopubPort());
        o.addProperty("stdin_port", c.stdinPort());
        o.addProperty("control_port", c.controlPort());
        o.addProperty("hb_port", c.hbPort());
        o.addProperty("signature_scheme", c.signatureScheme());
        o.addProperty("key", c.key());
        return o.toString();
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
