package io.hearth.engine.table;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The first rows of a DataFrame, collected in one Spark job, and whether there were more: what the table views render.
 *
 * @param rows      at most {@code limit} rows, each a list of the values {@link Row#get} gives
 * @param truncated the DataFrame has more rows than {@code limit}
 */
public record ResultTable(StructType schema, List<List<Object>> rows, int limit, boolean truncated) {

    public ResultTable {
        // Not List.copyOf for the rows themselves: SQL NULLs are null elements.
        rows = List.copyOf(rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList());
    }

    /**
     * Takes {@code limit + 1} rows, so that "there are more" is known without counting the whole result. Runs on the
     * calling thread: its job tag names the Spark job.
     */
    public static ResultTable collect(Dataset<?> dataset, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("row limit must be >= 0, got " + limit);
        }
        // As rows: a typed Dataset (spark.range is Dataset<Long>) would hand back its own objects.
        Dataset<Row> df = dataset.toDF();
        Object taken = df.take(limit + 1);
        Row[] fetched = (Row[]) taken;
        int shown = Math.min(limit, fetched.length);
        List<List<Object>> rows = new ArrayList<>(shown);
        for (int i = 0; i < shown; i++) {
            Row row = fetched[i];
            List<Object> values = new ArrayList<>(row.length());
            for (int c = 0; c < row.length(); c++) {
                values.add(row.get(c));
            }
            rows.add(values);
        }
        return new ResultTable(df.schema(), rows, limit, fetched.length > limit);
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (StructField f : schema.fields()) {
            names.add(f.name());
        }
        return names;
    }

    /** "showing 1000 of 1000+ rows" when truncated, null otherwise: every view says it the same way. */
    public String truncationNote() {
        return truncated ? "showing " + limit + " of " + limit + "+ rows" : null;
    }
}
