package io.hearth.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Runs HDFS and YARN mini clusters on 127.0.0.1 until SIGTERM/Ctrl-C or until its stdin closes (so a parent that dies
 * takes the test bed with it), writing a HADOOP_CONF_DIR for clients and printing its addresses, then a ready line.
 *
 * <p>Usage: {@code TestBedMain --dir DIR [--nm-memory-mb N] [--nm-vcores N]}; the client configuration goes to
 * {@code DIR/conf}, the clusters' data to {@code DIR/data} (emptied at each start).
 */
public final class TestBedMain {

    /** The line a parent process waits for: everything above it is the test bed's addresses. */
    public static final String READY = "hearth testbed ready";

    private TestBedMain() {}

    public static void main(String[] args) throws Exception {
        TestBedOptions options;
        try {
            options = TestBedOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("testbed: " + e.getMessage());
            System.err.println(TestBedOptions.USAGE);
            System.exit(2);
            return;
        }
        MiniClusters clusters = new MiniClusters(options);
        // Hadoop's servers cannot stop inside a JVM shutdown (their own shutdown hooks refuse changes then): SIGTERM,
        // Ctrl-C and the end of stdin ask the main thread to stop them, and the JVM exits after that.
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        try {
            clusters.start();
            Path confDir = options.dir().resolve("conf");
            new ClientConf(clusters).writeTo(confDir);
            System.out.println("hdfs: " + clusters.hdfsUri());
            System.out.println("hdfs-web: http://" + clusters.nameNodeWebAddress());
            System.out.println("yarn-rm: " + clusters.resourceManagerAddress());
            System.out.println("yarn-web: http://" + clusters.resourceManagerWebAddress());
            System.out.println("hadoop-conf-dir: " + confDir);
            System.out.println(READY);
            System.out.flush();
        } catch (Exception | LinkageError e) {
            System.err.println("testbed: could not start: " + e);
            e.printStackTrace();
            clusters.stop();
            System.exit(1);
        }
        Thread watcher = new Thread(() -> awaitEnd(System.in, stopRequested), "testbed-stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        stopRequested.await();
        System.out.println("hearth testbed stopping");
        clusters.stop();
        System.out.println("hearth testbed stopped");
        System.exit(0);
    }

    // EOF on stdin means the parent is gone or asks us to stop.
    private static void awaitEnd(InputStream in, CountDownLatch stopRequested) {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // input is ignored; only its end matters
            }
        } catch (IOException e) {
            // a broken stdin is a closed one
        }
        stopRequested.countDown();
    }

    static Path emptyDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }
}
