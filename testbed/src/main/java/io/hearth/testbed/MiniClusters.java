package io.hearth.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * One NameNode + one DataNode, and one ResourceManager + one NodeManager, from Hadoop's own mini clusters: the real
 * servers, with containers that are real processes. Starts HDFS first (YARN stages applications in it), stops YARN first.
 */
final class MiniClusters {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration NODE_MANAGER_WAIT = Duration.ofSeconds(60);

    private final TestBedOptions options;
    private MiniDFSCluster hdfs;
    private MiniYARNCluster yarn;

    MiniClusters(TestBedOptions options) {
        this.options = options;
    }

    synchronized void start() throws Exception {
        java.nio.file.Path data = TestBedMain.emptyDir(options.dir().resolve("data"));
        Configuration conf = new Configuration();
        conf.set("hadoop.tmp.dir", data.resolve("tmp").toString());
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, data.resolve("hdfs").toString());
        // Simple auth lets the gateway's user submit as another (spark-submit --proxy-user) from this host.
        String me = System.getProperty("user.name");
        conf.set("hadoop.proxyuser." + me + ".hosts", "*");
        conf.set("hadoop.proxyuser." + me + ".groups", "*");
        conf.set("hadoop.proxyuser." + me + ".users", "*");
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).format(true).build();
        hdfs.waitActive();
        prepareHdfs(hdfs.getFileSystem());

        YarnConfiguration yarnConf = new YarnConfiguration(hdfs.getConfiguration(0));
        yarnConf.set(YarnConfiguration.RM_HOSTNAME, LOOPBACK);
        // Spark's JVMs reserve far more virtual memory than they use; physical memory is what the machine has to give.
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yarnConf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, options.nodeManagerMemoryMb());
        yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, options.nodeManagerMemoryMb());
        yarnConf.setInt(YarnConfiguration.NM_VCORES, options.nodeManagerVcores());
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 64);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, Math.min(4096, options.nodeManagerMemoryMb()));
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, Math.min(4, options.nodeManagerVcores()));
        // Build hosts fill their disks: the NodeManager must not declare itself unhealthy because of that.
        yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
        // Containers run $JAVA_HOME/bin/java: the test bed's own Java, whatever the parent's environment says.
        yarnConf.set(YarnConfiguration.NM_ADMIN_USER_ENV,
                "MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX,JAVA_HOME=" + System.getProperty("java.home"));
        // Quick kills: a killed application's containers get SIGKILL 1 s after SIGTERM.
        yarnConf.setLong(YarnConfiguration.NM_SLEEP_DELAY_BEFORE_SIGKILL_MS, 1000);
        queues(yarnConf);
        // MiniYARNCluster puts the NodeManager's local and log dirs under this property (default: ./target/test/data).
        System.setProperty("test.build.data", data.resolve("yarn").toString());
        yarn = new MiniYARNCluster("hearth-testbed", 1, 1, 1);
        yarn.init(yarnConf);
        yarn.start();
        awaitBoundResourceManager();
        // Tracking URLs go through the ResourceManager's own proxy; its copy of the configuration still says port 0,
        // which would make every application's tracking URL unusable. Applications read this when they are created.
        yarn.getResourceManager().getConfig().set(YarnConfiguration.PROXY_ADDRESS, resourceManagerWebAddress());
        if (!yarn.waitForNodeManagersToConnect(NODE_MANAGER_WAIT.toMillis())) {
            throw new IllegalStateException("the NodeManager did not register within " + NODE_MANAGER_WAIT);
        }
    }

    /**
     * Three queues: {@code default} (most of the cluster), {@code etl} (for tests that a session's queue reaches YARN)
     * and {@code tiny}, too small for any ApplicationMaster (for tests of a YARN that cannot give resources).
     */
    private static void queues(YarnConfiguration conf) {
        String root = "yarn.scheduler.capacity.root.";
        conf.set(root + "queues", "default,etl,tiny");
        conf.set(root + "default.capacity", "70");
        conf.set(root + "default.maximum-capacity", "100");
        conf.set(root + "etl.capacity", "29");
        conf.set(root + "etl.maximum-capacity", "100");
        conf.set(root + "tiny.capacity", "1");
        conf.set(root + "tiny.maximum-capacity", "1");
        // Count vcores too, as clusters that size executors by cores do: executorCores then shows in YARN's figures.
        conf.set("yarn.scheduler.capacity.resource-calculator",
                "org.apache.hadoop.yarn.util.resource.DominantResourceCalculator");
        // Several sessions at once: each has an ApplicationMaster (client mode) or a driver (cluster mode) in YARN.
        conf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.8");
    }

    // YARN users stage applications under /user/NAME and /tmp; proxied users must be able to create theirs.
    private static void prepareHdfs(FileSystem fs) throws IOException {
        fs.mkdirs(new Path("/user"), new FsPermission((short) 0777));
        fs.setPermission(new Path("/user"), new FsPermission((short) 0777));
        fs.mkdirs(new Path("/tmp"), new FsPermission((short) 01777));
        fs.setPermission(new Path("/tmp"), new FsPermission((short) 01777));
    }

    // The ResourceManager publishes its bound port in the shared configuration a moment after start() returns.
    private void awaitBoundResourceManager() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (resourceManagerAddress().endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager did not publish its address");
            }
            Thread.sleep(50);
        }
    }

    /** The running YARN's configuration, with the addresses its servers bound. */
    Configuration yarnConfiguration() {
        return yarn.getConfig();
    }

    String hdfsUri() {
        return hdfs.getURI().toString();
    }

    String nameNodeWebAddress() {
        InetSocketAddress http = hdfs.getNameNode().getHttpAddress();
        return http.getHostString() + ":" + http.getPort();
    }

    String resourceManagerAddress() {
        return yarn.getConfig().get(YarnConfiguration.RM_ADDRESS);
    }

    String resourceManagerWebAddress() {
        return yarn.getConfig().get(YarnConfiguration.RM_WEBAPP_ADDRESS);
    }

    /** Stops YARN (the NodeManager kills its containers) and then HDFS; safe to call more than once. */
    synchronized void stop() {
        if (yarn != null) {
            yarn.stop();
            yarn = null;
        }
        if (hdfs != null) {
            hdfs.shutdown();
            hdfs = null;
        }
    }
}
