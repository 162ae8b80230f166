package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Another local process cannot call a local engine's driver: the attack of one user's code on another's session. */
class DriverAuthenticationTest {

    @Test
    void aProcessWithoutTheEnginesSecretCannotReachItsDriver() throws Exception {
        SparkSession spark = new SparkStarter("auth-test").start(Map.of("spark.master", "local[1]",
                "spark.ui.enabled", "false"));
        try {
            SparkConf engine = spark.sparkContext().getConf();
            assertEquals("true", engine.get(DriverAuthentication.AUTHENTICATE));
            RpcAddress driver = new RpcAddress(engine.get("spark.driver.host"),
                    Integer.parseInt(engine.get("spark.driver.port")));
            // What another user's code could run: Spark's own RPC client, with no secret of the engine's.
            SparkConf stranger = new SparkConf(false).set("spark.rpc.askTimeout", "10s")
                    .set("spark.rpc.lookupTimeout", "10s");
            RpcEnv client = RpcEnv.create("stranger", "127.0.0.1", 0, stranger,
                    new SecurityManager(stranger, scala.Option.empty(),
                            org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE()), true);
            try {
                Exception refused = assertThrows(Exception.class,
                        () -> client.setupEndpointRef(driver, "HeartbeatReceiver"));
                assertFalse(String.valueOf(refused.getMessage()).isEmpty());
                assertEquals(3L, spark.range(3).count(), "the engine itself still runs jobs");
            } finally {
                client.shutdown();
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void onlyLocalMastersGetItAndASessionsOwnSettingWins() {
        assertTrue(applied("local"));
        assertTrue(applied("local[*]"));
        assertTrue(applied("local[4, 2]"));
        assertFalse(applied("local-cluster[2,1,1024]"), "its executors need a shared secret");
        assertFalse(applied("yarn"));
        assertFalse(applied("spark://host:7077"));
        SparkConf own = new SparkConf(false).set("spark.master", "local[2]").set(DriverAuthentication.AUTHENTICATE,
                "false");
        DriverAuthentication.apply(own, Map.of());
        assertEquals("false", own.get(DriverAuthentication.AUTHENTICATE));
    }

    private static boolean applied(String master) {
        SparkConf conf = new SparkConf(false).set("spark.master", master);
        DriverAuthentication.apply(conf, Map.of());
        return conf.contains(DriverAuthentication.AUTHENTICATE);
    }

    @Test
    void aStandaloneDriverTakesTheClustersSecretFromTheEnvironmentTheWorkerGaveIt() {
        Map<String, String> env = Map.of(DriverAuthentication.WORKER_SECRET_ENV, "cluster-secret");
        SparkConf authenticated = new SparkConf(false).set("spark.master", "spark://m:7077")
                .set(DriverAuthentication.AUTHENTICATE, "true");
        DriverAuthentication.apply(authenticated, env);
        assertEquals("cluster-secret", authenticated.get(DriverAuthentication.SECRET));
        SparkConf own = authenticated.clone().set(DriverAuthentication.SECRET, "own");
        DriverAuthentication.apply(own, env);
        assertEquals("own", own.get(DriverAuthentication.SECRET), "a secret the settings give is kept");
        SparkConf off = new SparkConf(false).set("spark.master", "spark://m:7077");
        DriverAuthentication.apply(off, env);
        assertFalse(off.contains(DriverAuthentication.SECRET), "no secret where authentication is off");
    }
}
