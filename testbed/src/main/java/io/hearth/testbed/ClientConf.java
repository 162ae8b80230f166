package io.hearth.testbed;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.conf.YarnConfiguration;

/**
 * A HADOOP_CONF_DIR for clients of the running test bed: only what a client (spark-submit, an ApplicationMaster, the
 * hdfs command) needs, with the addresses the servers really bound.
 */
final class ClientConf {

    private static final List<String> YARN_CLIENT_KEYS = List.of(
            YarnConfiguration.RM_ADDRESS,
            YarnConfiguration.RM_SCHEDULER_ADDRESS,
            YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS,
            YarnConfiguration.RM_ADMIN_ADDRESS,
            YarnConfiguration.RM_WEBAPP_ADDRESS);

    private final MiniClusters clusters;

    ClientConf(MiniClusters clusters) {
        this.clusters = clusters;
    }

    void writeTo(Path dir) throws IOException {
        TestBedMain.emptyDir(dir);
        Configuration live = clusters.yarnConfiguration();

        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", clusters.hdfsUri());
        write(core, dir.resolve("core-site.xml"));

        Configuration hdfs = new Configuration(false);
        // One DataNode: a client must not wait for replicas that cannot exist.
        hdfs.set("dfs.replication", "1");
        write(hdfs, dir.resolve("hdfs-site.xml"));

        Configuration yarn = new Configuration(false);
        for (String key : YARN_CLIENT_KEYS) {
            yarn.set(key, live.get(key));
        }
        write(yarn, dir.resolve("yarn-site.xml"));
    }

    private static void write(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }
}
