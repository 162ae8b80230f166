package io.hearth.engine.start;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.RunRecord;
import io.hearth.engine.S3TestServer;
import io.hearth.engine.SeparateExecutorsSpark;
import io.hearth.engine.python.PythonSession;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code s3a://} and {@code s3://} in a session that sets nothing but where the store is: the connector and the SDK
 * modules the engine ships, on the driver and on executors in JVMs of their own (local-cluster), against a real
 * S3-compatible server on loopback. Credentials come from the AWS SDK's standard chain (a profile file), as they would
 * on a laptop; only a bucket that is meant to fail has keys of its own, wrong ones. Every value is checked against
 * Python's {@code csv} module reading the same files from disk.
 */
class ObjectStorageTest {

    /** The quickstart's data: two months of bakery orders, with quoted fields. */
    private static final Path DATA = Path.of("..", "notebooks", "data").toAbsolutePath().normalize();

    /** What a notebook user may wait for an error at most; S3A's own defaults take minutes. */
    private static final Duration CLEAR_ERROR_WITHIN = Duration.ofSeconds(15);

    @TempDir
    static Path dir;

    private static S3TestServer s3;
    private static PythonSession session;
    private static String previousCredentialsFile;

    @BeforeAll
    static void startServerAndSession() throws Exception {
        s3 = S3TestServer.start(dir);
        s3.createBucket("seed");
        s3.createBucket("locked");
        try (var files = Files.list(DATA)) {
            for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                s3.put("seed", "orders/" + csv.getFileName(), Files.readAllBytes(csv));
            }
        }
        // In the same prefix, not matching *.csv: it must not be counted.
        s3.put("seed", "orders/README.txt", "order_id,date\n9999,not an order\n".getBytes(StandardCharsets.UTF_8));

        // The standard chain's profile file, as ~/.aws/credentials would be: the driver finds it through the SDK's
        // system property, the executors through the same property on their command line.
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = " + S3TestServer.ACCESS_KEY
                + "\naws_secret_access_key = " + S3TestServer.SECRET_KEY + "\n");
        previousCredentialsFile = System.setProperty("aws.sharedCredentialsFile", credentials.toString());

        Map<String, String> conf = SeparateExecutorsSpark.conf();
        s3.hadoopSettings().forEach((k, v) -> conf.put("spark.hadoop." + k, v));
        conf.put("spark.executor.extraJavaOptions", "-Daws.sharedCredentialsFile=" + credentials);
        // Multipart uploads from 5 MiB (S3's smallest part), so a 13 MB file is uploaded in three parts.
        conf.put("spark.hadoop.fs.s3a.multipart.size", "5M");
        conf.put("spark.hadoop.fs.s3a.multipart.threshold", "5M");
        conf.put("spark.hadoop.fs.s3a.bucket.locked.access.key", "not-the-key");
        conf.put("spark.hadoop.fs.s3a.bucket.locked.secret.key", "not-the-secret");
        conf.put("spark.hadoop.fs.s3a.bucket.nowhere.endpoint", "http://127.0.0.1:" + closedPort());
        session = new PythonSession(conf);
        SeparateExecutorsSpark.awaitExecutors(session.spark.sparkContext(), Duration.ofSeconds(90));
        ok("""
                import csv, glob, json
                FIELDS = ["order_id", "date", "city", "product", "quantity", "unit_price"]

                def parse(line):
                    return next(csv.DictReader([line], fieldnames=FIELDS))

                def from_disk():
                    rows = []
                    for name in sorted(glob.glob(%s + "/*.csv")):
                        with open(name, newline="") as f:
                            rows.extend(csv.DictReader(f))
                    return rows

                def revenue_by_city(orders):
                    totals = {}
                    for o in orders:
                        totals[o["city"]] = totals.get(o["city"], 0) + int(o["quantity"]) * float(o["unit_price"])
                    return {city: round(v, 2) for city, v in sorted(totals.items())}

                EXPECTED = from_disk()
                """.formatted(pyString(DATA.toString())));
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (previousCredentialsFile == null) {
            System.clearProperty("aws.sharedCredentialsFile");
        } else {
            System.setProperty("aws.sharedCredentialsFile", previousCredentialsFile);
        }
    }

    @Test
    void theSeedFlowReadsEveryMatchingCsvOnS3aAndNothingElse() throws Exception {
        String out = ok("""
                lines = sc.textFile("s3a://seed/orders/*.csv")
                orders = lines.filter(lambda line: not line.startswith("order_id")).map(parse)
                got = orders.collect()
                print(json.dumps([len(got), len(EXPECTED), lines.getNumPartitions()]))
                print(revenue_by_city(got) == revenue_by_city(EXPECTED), json.dumps(revenue_by_city(got)))
                """);
        String[] counts = out.lines().findFirst().orElseThrow().replaceAll("[\\[\\]]", "").split(", ");
        assertEquals("1200", counts[0], out);
        assertEquals(counts[1], counts[0], "as many orders as Python's csv module reads from disk: " + out);
        assertTrue(out.lines().skip(1).findFirst().orElseThrow().startsWith("True"), out);
    }

    @Test
    void s3PathsAsEmrUsersWriteThemAreReadThroughS3a() throws Exception {
        String out = ok("""
                conf = sc._jsc.hadoopConfiguration()
                fs = sc._jvm.org.apache.hadoop.fs.Path("s3://seed/").getFileSystem(conf)
                orders = sc.textFile("s3://seed/orders/*.csv").filter(lambda l: not l.startswith("order_id")).map(parse)
                print(fs.getClass().getName())
                print(orders.count() == len(EXPECTED), revenue_by_city(orders.collect()) == revenue_by_city(EXPECTED))
                """);
        assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem\nTrue True\n", out);
    }

    @Test
    void aDataFrameWithHeaderAndInferredSchemaKeepsQuotedFieldsAndSqlGroupsIt() throws Exception {
        String out = ok("""
                df = (spark.read.option("header", True).option("inferSchema", True).option("escape", '"')
                      .csv("s3a://seed/orders/*.csv"))
                df.createOrReplaceTempView("s3_orders")
                units = {r["product"]: r["units"] for r in spark.sql(
                    "SELECT product, SUM(quantity) AS units FROM s3_orders GROUP BY product").collect()}
                expected = {}
                for o in EXPECTED:
                    expected[o["product"]] = expected.get(o["product"], 0) + int(o["quantity"])
                print(df.count() == len(EXPECTED), dict(df.dtypes)["quantity"], dict(df.dtypes)["unit_price"])
                print(units == expected, sorted(p for p in units if "," in p or '"' in p))
                """);
        String[] lines = out.split("\n");
        assertEquals("True int double", lines[0], out);
        assertTrue(lines[1].startsWith("True ['"), "quoted fields survive (commas and quotes): " + out);
    }

    @Test
    void parquetWrittenToS3aReadsBackTheSameRows() throws Exception {
        String out = ok("""
                df = spark.read.option("header", True).option("inferSchema", True).option("escape", '"') \\
                    .csv("s3a://seed/orders/*.csv")
                df.write.mode("overwrite").parquet("s3a://seed/out/orders.parquet")
                back = spark.read.parquet("s3a://seed/out/orders.parquet")
                print(back.count() == len(EXPECTED),
                      back.groupBy().sum("quantity").first()[0] == sum(int(o["quantity"]) for o in EXPECTED))
                """);
        assertEquals("True True\n", out);
        assertTrue(s3.keys("seed").stream().anyMatch(k -> k.startsWith("out/orders.parquet/part-")
                && k.endsWith(".parquet")), "parquet parts on the server: " + s3.keys("seed"));
        assertTrue(s3.keys("seed").contains("out/orders.parquet/_SUCCESS"), String.valueOf(s3.keys("seed")));
    }

    @Test
    void aFileLargerThanThePartSizeIsUploadedInPartsAndListed() throws Exception {
        // From an executor, as a job writes: one 13.2 MB file.
        String out = ok("""
                path = "s3a://seed/big/numbers"
                sc.parallelize(range(1200000), 1).map(lambda i: "%010d" % i).saveAsTextFile(path)
                hpath = sc._jvm.org.apache.hadoop.fs.Path(path)
                fs = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
                parts = [s for s in fs.listStatus(hpath) if s.getPath().getName().startswith("part-")]
                print(len(parts), parts[0].getLen())
                print(sc.textFile(path).map(int).sum() == sum(range(1200000)))
                """);
        String[] first = out.lines().findFirst().orElseThrow().split(" ");
        assertEquals("1", first[0], out);
        assertEquals(1200000L * 11, Long.parseLong(first[1]), out);
        assertTrue(out.contains("\nTrue"), out);
        // From the driver, where the file system's statistics show the parts.
        String parts = ok("""
                hpath = sc._jvm.org.apache.hadoop.fs.Path("s3a://seed/big/driver.bin")
                fs = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
                stats = sc._jvm.org.apache.hadoop.fs.statistics.IOStatisticsSupport.retrieveIOStatistics(fs).counters()
                before = stats.get("multipart_upload_part_put") or 0
                out = fs.create(hpath)
                chunk = bytearray(b"x" * (1 << 20))
                for _ in range(13):
                    out.write(chunk)
                out.close()
                print(stats.get("multipart_upload_part_put") - before, fs.getFileStatus(hpath).getLen())
                """);
        assertEquals("3 " + 13 * (1 << 20) + "\n", parts, "13 MiB in parts of 5 MiB");
    }

    @Test
    void theSessionUsesTheStandardCredentialChainWhenItGivesNoKeys() throws Exception {
        String out = ok("""
                conf = sc._jsc.hadoopConfiguration()
                print(conf.get("fs.s3a.access.key"), conf.get("fs.s3a.aws.credentials.provider"))
                print(sc.textFile("s3a://seed/orders/*.csv").count())
                """);
        assertEquals("None " + ObjectStorageDefaults.CREDENTIAL_CHAIN + "\n1202\n", out);
    }

    @Test
    void aWrongEndpointFailsWithinSecondsAndTheSessionGoesOn() throws Exception {
        StatementOutput error = failsQuickly("sc.textFile('s3a://nowhere/orders/*.csv').count()");
        assertTrue(error.evalue().contains("127.0.0.1") || error.evalue().toLowerCase().contains("connect"),
                "says it could not connect: " + error);
        theSessionGoesOn();
    }

    @Test
    void wrongKeysFailWithinSecondsAndTheSessionGoesOn() throws Exception {
        StatementOutput error = failsQuickly("sc.textFile('s3a://locked/orders/*.csv').count()");
        assertTrue(error.evalue().contains("403") || error.evalue().contains("AccessDenied")
                || error.evalue().contains("InvalidAccessKeyId"), "says access was denied: " + error);
        theSessionGoesOn();
    }

    @Test
    void aMissingBucketFailsWithinSecondsAndTheSessionGoesOn() throws Exception {
        StatementOutput error = failsQuickly("sc.textFile('s3a://no-such-bucket/orders/*.csv').count()");
        assertTrue(error.evalue().contains("no-such-bucket"), "names the bucket: " + error);
        theSessionGoesOn();
    }

    @Test
    void noMatchingFilesFailWithinSecondsAndTheSessionGoesOn() throws Exception {
        StatementOutput error = failsQuickly("sc.textFile('s3a://seed/orders/*.json').count()");
        assertTrue(error.evalue().contains("s3a://seed/orders/*.json") && error.evalue().contains("matches 0 files"),
                "names the pattern that matched nothing: " + error);
        theSessionGoesOn();
    }

    private static StatementOutput failsQuickly(String code) throws InterruptedException {
        long start = System.nanoTime();
        RunRecord run = session.run(code);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        StatementOutput output = run.finished().output();
        assertTrue(output.isError(), "fails: " + output);
        assertTrue(took.compareTo(CLEAR_ERROR_WITHIN) < 0, "failed after " + took + ": " + output);
        assertFalse(output.evalue().isBlank(), String.valueOf(output));
        return output;
    }

    private static void theSessionGoesOn() throws InterruptedException {
        assertEquals("1202", session.run("sc.textFile('s3a://seed/orders/*.csv').count()").textPlain());
    }

    /** Runs Python code that must succeed; returns what it printed. */
    private static String ok(String code) throws InterruptedException {
        RunRecord run = session.run(code);
        assertFalse(run.finished().output().isError(), String.valueOf(run.finished().output()));
        return run.stdout();
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A loopback port with nothing listening on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
