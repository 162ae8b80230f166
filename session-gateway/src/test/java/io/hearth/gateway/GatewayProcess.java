package io.hearth.gateway;

import io.hearth.gateway.launch.LocalProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A gateway in a JVM of its own, started from the test classpath, so that a test can kill it as an operator would. */
public final class GatewayProcess {

    private static final Pattern LISTENING = Pattern.compile("Hearth gateway listening on (https?://\\S+)");
    private static final Pattern CHANNEL = Pattern.compile("engine channel on port (\\d+)");

    private final Process process;
    private final Path output;
    private final String baseUrl;

    private GatewayProcess(Process process, Path output, String baseUrl) {
        this.process = process;
        this.output = output;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts {@code GatewayMain} with {@code env} added to this JVM's environment and waits until it listens; its
     * stdout and stderr go to {@code output}, a file of this run's own.
     */
    public static GatewayProcess start(int port, Map<String, String> env, Path output, Duration timeout)
            throws IOException, InterruptedException {
        return start(port, env, output, timeout, List.of(), "256m");
    }

    /** As {@link #start(int, Map, Path, Duration)}, with a heap of at most {@code maxHeap} (e.g. "64m"). */
    static GatewayProcess startWithHeap(String maxHeap, int port, Map<String, String> env, Path output,
            Duration timeout) throws IOException, InterruptedException {
        return start(port, env, output, timeout, List.of(), maxHeap);
    }

    /** As {@link #start(int, Map, Path, Duration)}, under the file-creation mask {@code umask} (octal, e.g. "000"). */
    static GatewayProcess startWithUmask(String umask, int port, Map<String, String> env, Path output,
            Duration timeout) throws IOException, InterruptedException {
        return start(port, env, output, timeout, List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"),
                "256m");
    }

    private static GatewayProcess start(int port, Map<String, String> env, Path output, Duration timeout,
            List<String> wrapper, String maxHeap) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(LocalProcessLauncher.currentJava().toString(), "-Xmx" + maxHeap,
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // No pool of warm engines unless the test asks for one: engines the test does not use cost it time.
        pb.environment().put("HEARTH_POOL_SIZE", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            Matcher m = LISTENING.matcher(text);
            if (m.find() && p.isAlive()) {
                return new GatewayProcess(p, output, m.group(1));
            }
            if (!p.isAlive()) {
                throw new AssertionError("the gateway exited with " + p.exitValue() + ":\n" + text);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("the gateway did not listen within " + timeout + ":\n" + Files.readString(output));
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return Integer.parseInt(baseUrl.substring(baseUrl.lastIndexOf(':') + 1));
    }

    /** The port engines dial, as the gateway logged it at start-up. */
    public int channelPort() throws IOException {
        Matcher m = CHANNEL.matcher(output());
        if (!m.find()) {
            throw new AssertionError("the gateway did not log its engine channel port:\n" + output());
        }
        return Integer.parseInt(m.group(1));
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed by the gateway. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator's stop: the gateway stops its engines. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
