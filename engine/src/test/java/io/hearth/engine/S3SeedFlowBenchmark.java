package io.hearth.engine;

import io.hearth.engine.python.PythonSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 seed flow's time (not a test: it asserts only that each step succeeds, and is skipped unless asked for). One
 * local[2] session against S3Proxy on loopback holding the quickstart's two CSV files and a file that does not match;
 * each run times the notebook's steps as statements: the RDD read with {@code csv.DictReader}, the DataFrame with header
 * and inferred schema plus a SQL GROUP BY, and a parquet write read back. Run: {@code bin/hearth bench s3}.
 */
@EnabledIfSystemProperty(named = "hearth.bench", matches = "true")
class S3SeedFlowBenchmark {

    private static final int RUNS = Integer.getInteger("hearth.bench.runs", 10);
    private static final int WARMUP = 1;

    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("RDD: textFile(s3a://.../*.csv) + csv.DictReader, count and revenue by city", """
                orders = sc.textFile("s3a://seed/orders/*.csv").filter(lambda l: not l.startswith("order_id")).map(parse)
                assert orders.count() == 1200
                by_city = orders.map(lambda o: (o["city"], int(o["quantity"]) * float(o["unit_price"]))) \\
                    .reduceByKey(lambda a, b: a + b).collect()
                """);
        STEPS.put("DataFrame: header + inferSchema, temp view, SQL GROUP BY", """
                df = spark.read.option("header", True).option("inferSchema", True).option("escape", '"') \\
                    .csv("s3a://seed/orders/*.csv")
                df.createOrReplaceTempView("orders")
                assert len(spark.sql("SELECT product, SUM(quantity) FROM orders GROUP BY product").collect()) > 0
                """);
        STEPS.put("parquet: write to s3a:// and read back", """
                df.write.mode("overwrite").parquet("s3a://seed/out/orders.parquet")
                assert spark.read.parquet("s3a://seed/out/orders.parquet").count() == 1200
                """);
    }

    @TempDir
    Path dir;

    @Test
    void theSeedFlowOnS3a() throws Exception {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        STEPS.keySet().forEach(k -> times.put(k, new ArrayList<>()));
        times.put("the whole flow", new ArrayList<>());
        try (S3TestServer s3 = S3TestServer.start(dir)) {
            s3.createBucket("seed");
            try (var files = Files.list(Path.of("..", "notebooks", "data"))) {
                for (Path csv : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                    s3.put("seed", "orders/" + csv.getFileName(), Files.readAllBytes(csv));
                }
            }
            s3.put("seed", "orders/README.txt", "not an order\n".getBytes());
            Map<String, String> conf = new LinkedHashMap<>(Map.of("spark.master", "local[2]", "spark.ui.enabled",
                    "false", "spark.sql.shuffle.partitions", "2"));
            s3.hadoopSettings().forEach((k, v) -> conf.put("spark.hadoop." + k, v));
            conf.put("spark.hadoop.fs.s3a.access.key", S3TestServer.ACCESS_KEY);
            conf.put("spark.hadoop.fs.s3a.secret.key", S3TestServer.SECRET_KEY);
            try (PythonSession session = new PythonSession(conf)) {
                run(session, """
                        import csv
                        FIELDS = ["order_id", "date", "city", "product", "quantity", "unit_price"]
                        def parse(line):
                            return next(csv.DictReader([line], fieldnames=FIELDS))
                        """);
                for (int i = 0; i < WARMUP + RUNS; i++) {
                    double total = 0;
                    for (Map.Entry<String, String> step : STEPS.entrySet()) {
                        double ms = run(session, step.getValue());
                        total += ms;
                        if (i >= WARMUP) {
                            times.get(step.getKey()).add(ms);
                        }
                    }
                    if (i >= WARMUP) {
                        times.get("the whole flow").add(total);
                    }
                }
            }
        }
        System.out.println("HEARTH-BENCH | step (local[2], S3Proxy on loopback) | runs | median | min | max |");
        times.forEach((step, ms) -> System.out.println("HEARTH-BENCH | " + step + " | " + row(ms)));
    }

    private static double run(PythonSession session, String code) throws InterruptedException {
        long start = System.nanoTime();
        RunRecord run = session.run(code);
        double ms = (System.nanoTime() - start) / 1e6;
        if (run.finished().output().isError()) {
            throw new AssertionError("step failed: " + run.finished().output());
        }
        return ms;
    }

    private static String row(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format(Locale.ROOT, "%d | %.0f ms | %.0f ms | %.0f ms |", sorted.size(), median, sorted.get(0),
                sorted.get(sorted.size() - 1));
    }
}
