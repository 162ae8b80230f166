package io.hearth.gateway.metrics;

/** A Prometheus histogram of durations in seconds with fixed buckets; thread-safe. */
final class Histogram {

    /** From a millisecond to ten minutes: covers an HTTP answer as well as a statement or an engine start. */
    static final double[] SECONDS_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60, 120, 300, 600};

    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    synchronized void observe(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i]++;
            }
        }
        count++;
        sum += seconds;
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} samples; {@code labels} is "" or {@code k="v",...}. */
    synchronized void render(StringBuilder out, String name, String labels) {
        String sep = labels.isEmpty() ? "" : labels + ",";
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{").append(sep).append("le=\"").append(number(bounds[i])).append("\"} ")
                    .append(counts[i]).append('\n');
        }
        out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(number(sum)).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(count).append('\n');
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
