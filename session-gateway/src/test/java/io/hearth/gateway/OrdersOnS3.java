package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server ({@link S3TestServer}) with a bucket for the bakery orders of {@code notebooks/data}, and
 * the seed flow a session runs over them once it has copied them there: the {@code s3a://} and
 * {@code s3://} wildcards, a DataFrame with a header, inferred types and quoted fields, SQL {@code GROUP BY}, parquet
 * written and read back. The figures are checked against Python's csv module on the same files.
 */
final class OrdersOnS3 implements AutoCloseable {

    static final String BUCKET = "bakery";
    private static final Path DATA = Path.of("..", "notebooks", "data").toAbsolutePath().normalize();

    private final S3TestServer server;

    private OrdersOnS3(S3TestServer server) {
        this.server = server;
    }

    /** Starts the server under {@code dir} with an empty bucket. */
    static OrdersOnS3 start(Path dir) throws IOException, InterruptedException {
        S3TestServer server = S3TestServer.start(dir);
        server.createBucket(BUCKET);
        return new OrdersOnS3(server);
    }

    /** The session {@code conf} that points S3A at the server, with per-session keys. */
    JsonObject sessionConf() {
        JsonObject conf = new JsonObject();
        conf.addProperty("spark.hadoop.fs.s3a.endpoint", server.endpoint());
        conf.addProperty("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
        conf.addProperty("spark.hadoop.fs.s3a.path.style.access", "true");
        conf.addProperty("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
        conf.addProperty("spark.hadoop.fs.s3a.access.key", S3TestServer.ACCESS_KEY);
        conf.addProperty("spark.hadoop.fs.s3a.secret.key", S3TestServer.SECRET_KEY);
        return conf;
    }

    /**
     * PySpark code that copies a directory of orders (the CSV files and a file beside them that {@code *.csv} leaves
     * out) from {@code ordersDir} into {@code s3a://bakery/orders/} through S3's API, runs the seed flow on it and
     * prints its figures as one JSON line.
     */
    static String seedFlow(String ordersDir) {
        return """
                import csv, json
                Path, hadoop = sc._jvm.org.apache.hadoop.fs.Path, sc._jsc.hadoopConfiguration()
                source, target = Path("%2$s"), Path("s3a://%1$s/orders")
                sc._jvm.org.apache.hadoop.fs.FileUtil.copy(source.getFileSystem(hadoop), source,
                                                           target.getFileSystem(hadoop), target, False, hadoop)
                FIELDS = ["order_id", "date", "city", "product", "quantity", "unit_price"]
                def parse(line):
                    return next(csv.DictReader([line], fieldnames=FIELDS))
                s3a = sc.textFile("s3a://%1$s/orders/*.csv").filter(lambda l: not l.startswith("order_id")).map(parse)
                revenue = dict(s3a.map(lambda o: (o["city"], int(o["quantity"]) * float(o["unit_price"])))
                               .reduceByKey(lambda a, b: a + b).collect())
                s3 = sc.textFile("s3://%1$s/orders/*.csv").filter(lambda l: not l.startswith("order_id")).count()
                df = (spark.read.option("header", True).option("inferSchema", True).option("escape", '"')
                      .csv("s3a://%1$s/orders/*.csv"))
                df.createOrReplaceTempView("s3_orders")
                units = {r.product: r.units for r in
                         spark.sql("SELECT product, SUM(quantity) AS units FROM s3_orders GROUP BY product").collect()}
                df.write.mode("overwrite").parquet("s3a://%1$s/orders-parquet")
                back = spark.read.parquet("s3a://%1$s/orders-parquet")
                print(json.dumps({"count": s3a.count(), "s3_count": s3, "revenue_by_city": revenue,
                                  "units_by_product": units, "unit_price_type": dict(df.dtypes)["unit_price"],
                                  "parquet_count": back.count(),
                                  "parquet_units": back.groupBy().sum("quantity").first()[0]}))
                """.formatted(BUCKET, ordersDir);
    }

    /** The seed flow's figures, as {@link #seedFlow} printed them, agree with Python's csv module on the files. */
    static void assertSeedFlow(String printed) throws IOException, InterruptedException {
        JsonObject seen = JsonParser.parseString(printed.strip()).getAsJsonObject();
        JsonObject expected = fromPythonsCsvModule();
        long count = expected.get("count").getAsLong();
        assertEquals(count, seen.get("count").getAsLong(), "s3a://.../*.csv leaves the other file out: " + seen);
        assertEquals(count, seen.get("s3_count").getAsLong(), "s3:// reads the same files: " + seen);
        assertEquals(count, seen.get("parquet_count").getAsLong(), "parquet read back: " + seen);
        assertEquals(expected.get("units").getAsLong(), seen.get("parquet_units").getAsLong(), seen.toString());
        assertEquals("double", seen.get("unit_price_type").getAsString(), seen.toString());
        JsonObject revenue = seen.getAsJsonObject("revenue_by_city");
        JsonObject expectedRevenue = expected.getAsJsonObject("revenue_by_city");
        assertEquals(expectedRevenue.keySet(), revenue.keySet(), seen.toString());
        for (String city : expectedRevenue.keySet()) {
            assertEquals(expectedRevenue.get(city).getAsDouble(), revenue.get(city).getAsDouble(), 1e-6, city);
        }
        // Quoted fields ("Bread, sourdough", doubled quotes) arrive whole: the products are Python's, unit for unit.
        assertEquals(expected.getAsJsonObject("units_by_product"), seen.getAsJsonObject("units_by_product"));
    }

    private static JsonObject fromPythonsCsvModule() throws IOException, InterruptedException {
        String script = """
                import csv, glob, json, sys
                rows = []
                for name in sorted(glob.glob(sys.argv[1] + "/*.csv")):
                    with open(name, newline="") as f:
                        rows.extend(csv.DictReader(f))
                revenue, units = {}, {}
                for r in rows:
                    revenue[r["city"]] = revenue.get(r["city"], 0.0) + int(r["quantity"]) * float(r["unit_price"])
                    units[r["product"]] = units.get(r["product"], 0) + int(r["quantity"])
                print(json.dumps({"count": len(rows), "units": sum(units.values()), "revenue_by_city": revenue,
                                  "units_by_product": units}))
                """;
        Process p = new ProcessBuilder(TestEngine.python(), "-c", script, DATA.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return JsonParser.parseString(out.strip()).getAsJsonObject();
    }

    @Override
    public void close() {
        server.close();
    }
}
