package io.hearth.gateway.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared YARN + HDFS test bed is real and reachable the way a gateway host reaches a cluster. */
class YarnTestBedTest {

    private final YarnTestBed bed = YarnTestBed.shared();

    @Test
    void aResourceManagerWithOneRunningNodeManagerAnswersOnLoopback() {
        assertTrue(bed.resourceManagerWebUrl().matches("http://(localhost|127\\.0\\.0\\.1):\\d+"),
                bed.resourceManagerWebUrl());
        JsonObject info = bed.rm("/ws/v1/cluster/info").getAsJsonObject("clusterInfo");
        assertEquals("STARTED", info.get("state").getAsString());
        assertEquals("3.5.0", info.get("hadoopVersion").getAsString());
        var nodes = bed.rm("/ws/v1/cluster/nodes").getAsJsonObject("nodes").getAsJsonArray("node");
        assertEquals(1, nodes.size());
        JsonObject node = nodes.get(0).getAsJsonObject();
        assertEquals("RUNNING", node.get("state").getAsString());
        // Room for two or three sessions at once: each an ApplicationMaster and an executor or two.
        assertTrue(node.getAsJsonObject("totalResource").get("memory").getAsInt() >= 8192, node.toString());
    }

    @Test
    void theSchedulerOffersTheQueuesTheTestsUse() {
        var queues = bed.rm("/ws/v1/cluster/scheduler").getAsJsonObject("scheduler").getAsJsonObject("schedulerInfo")
                .getAsJsonObject("queues").getAsJsonArray("queue");
        List<String> names = queues.asList().stream()
                .map(q -> q.getAsJsonObject().get("queueName").getAsString()).sorted().toList();
        assertEquals(List.of("default", "etl", "tiny"), names);
    }

    @Test
    void theHadoopConfDirNamesTheRunningServers() throws Exception {
        String yarnSite = Files.readString(bed.hadoopConfDir().resolve("yarn-site.xml"));
        String port = bed.resourceManagerWebUrl().replaceAll(".*:", "");
        assertTrue(yarnSite.contains("<name>yarn.resourcemanager.address</name>"), yarnSite);
        assertTrue(yarnSite.contains(":" + port + "</value>"), yarnSite);
        String coreSite = Files.readString(bed.hadoopConfDir().resolve("core-site.xml"));
        assertTrue(coreSite.contains("<value>" + bed.hdfsUri() + "</value>"), coreSite);
    }

    @Test
    void hdfsStoresAndListsFiles() {
        bed.put("/testbed-check/a.csv", "x,y\n1,2\n".getBytes(StandardCharsets.UTF_8));
        bed.put("/testbed-check/b.txt", "not a csv".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("a.csv", "b.txt"), bed.list("/testbed-check"));
    }

    @Test
    void hadoopNeverMeetsTheGatewaysClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.hadoop.conf.Configuration"));
    }
}
