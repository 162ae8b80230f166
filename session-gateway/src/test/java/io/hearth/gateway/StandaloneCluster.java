package io.hearth.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a Master and one Worker started with the distribution's
 * {@code bin/spark-class}, the Worker's executors (separate JVMs) working in {@code dir/work}, never in the
 * distribution's own directory. {@link #killWorker()} and {@link #startWorker()} replace the Worker, as a machine that
 * dies and one that takes its place. {@link #close()} stops the Master and the Worker with their executors.
 */
final class StandaloneCluster implements AutoCloseable {

    private final Path sparkHome;
    private final Path dir;
    private final Process master;
    private final String url;
    private final String webUi;
    private final int cores;
    private final String memory;
    private Process worker;
    private int workersStarted;

    private StandaloneCluster(Path sparkHome, Path dir, Process master, String url, String webUi, int cores,
                              String memory) {
        this.sparkHome = sparkHome;
        this.dir = dir;
        this.master = master;
        this.url = url;
        this.webUi = webUi;
        this.cores = cores;
        this.memory = memory;
    }

    /** Starts a Master and a Worker with {@code cores} and {@code memory}; returns once the Worker has registered. */
    static StandaloneCluster start(Path sparkHome, Path dir, int cores, String memory) throws Exception {
        int masterPort = freePort();
        int uiPort = freePort();
        Process master = sparkClass(sparkHome, dir, "master", "org.apache.spark.deploy.master.Master", "--host",
                "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(uiPort));
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir, master,
                "spark://127.0.0.1:" + masterPort, "http://127.0.0.1:" + uiPort, cores, memory);
        try {
            awaitLog(dir, "master", "Starting Spark master", 1);
            cluster.startWorker();
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts a (new) Worker; returns once the Master has registered it. */
    void startWorker() throws Exception {
        worker = sparkClass(sparkHome, dir, "worker", "org.apache.spark.deploy.worker.Worker", "--host",
                "127.0.0.1", "--webui-port", Integer.toString(freePort()), "--cores", Integer.toString(cores),
                "--memory", memory, "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), url);
        workersStarted++;
        awaitLog(dir, "master", "Registering worker", workersStarted);
    }

    /** SIGKILL to the Worker and its executors at once, as a machine that dies. */
    void killWorker() throws InterruptedException {
        List<ProcessHandle> family = new ArrayList<>(worker.descendants().toList());
        family.add(worker.toHandle());
        family.forEach(ProcessHandle::destroyForcibly);
        worker.waitFor(10, TimeUnit.SECONDS);
    }

    String url() {
        return url;
    }

    /** The Master's web UI, whose {@code /json} lists workers, applications and drivers. */
    String webUi() {
        return webUi;
    }

    Process worker() {
        return worker;
    }

    /** The Master, the Worker and every process under them (executors), as they are now. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : worker == null ? List.of(master) : List.of(worker, master)) {
            all.add(p.toHandle());
            all.addAll(p.descendants().toList());
        }
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stopTree(worker);
        stopTree(master);
    }

    private static Process sparkClass(Path sparkHome, Path dir, String name, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-class").toString(), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    /** Waits until the log has {@code text} at least {@code times} times. */
    private static void awaitLog(Path dir, String name, String text, int times) throws Exception {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).split(Pattern.quote(text), -1).length > times) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in the " + name + " log:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM to the process and its descendants (executors), then SIGKILL to whatever is left. */
    private static void stopTree(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        List<ProcessHandle> family = new ArrayList<>(p.descendants().toList());
        family.add(p.toHandle());
        family.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : family) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
    }
}
