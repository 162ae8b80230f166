package io.hearth.engine.jobs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;

/**
 * What the session's executors do that a statement's user should hear of, on any master: executors lost (with Spark's
 * reason, such as "worker lost"), how many are alive, and how long tasks may wait for one before that is worth saying
 * ({@code spark.starvation.timeout}, the setting behind Spark's own "Initial job has not accepted any resources" log
 * line). Fed by Spark's listener bus; read by the progress sampler.
 */
public final class ExecutorWatch extends SparkListener {

    /** One executor lost; {@code number} increases from 1 over the session. {@code host} is null when unknown. */
    public record Loss(long number, String executorId, String host, String reason) {}

    /** Losses remembered for statements to pick up; a burst beyond this is summed up by the newest ones. */
    private static final int LOSSES_KEPT = 64;

    private final SparkContext sparkContext;
    private final Duration waitBeforeWarning;
    private final Map<String, String> hostOf = new ConcurrentHashMap<>();
    // Guarded by this: written on the listener bus, read by the sampler.
    private final ArrayDeque<Loss> losses = new ArrayDeque<>();
    private long lossCount;

    private ExecutorWatch(SparkContext sparkContext, Duration waitBeforeWarning) {
        this.sparkContext = sparkContext;
        this.waitBeforeWarning = waitBeforeWarning;
    }

    /** A watch registered on the context's listener bus. */
    public static ExecutorWatch on(SparkContext sc) {
        ExecutorWatch watch = new ExecutorWatch(sc,
                Duration.ofMillis(sc.getConf().getTimeAsMs("spark.starvation.timeout", "15s")));
        sc.addSparkListener(watch);
        return watch;
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        hostOf.put(added.executorId(), added.executorInfo().executorHost());
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        String host = hostOf.remove(removed.executorId());
        synchronized (this) {
            losses.addLast(new Loss(++lossCount, removed.executorId(), host, removed.reason()));
            if (losses.size() > LOSSES_KEPT) {
                losses.removeFirst();
            }
        }
    }

    /** How long a statement's tasks may find no executor before the statement is told. */
    public Duration waitBeforeWarning() {
        return waitBeforeWarning;
    }

    /** The number of the latest loss, 0 before any: a statement starting now hears only of later ones. */
    public synchronized long lastLoss() {
        return lossCount;
    }

    public synchronized List<Loss> lossesAfter(long number) {
        return losses.stream().filter(l -> l.number() > number).toList();
    }

    /** Executors alive now, the driver not counted (in local mode the driver runs the tasks: one). */
    public int liveExecutors() {
        int withDriver = sparkContext.statusTracker().getExecutorInfos().length;
        return sparkContext.isLocal() ? withDriver : Math.max(0, withDriver - 1);
    }

    /** What a user waiting for executors should know to act: where the session asks, and for how much. */
    public String resourcesAsked() {
        SparkConf conf = sparkContext.getConf();
        StringBuilder asked = new StringBuilder("master ").append(sparkContext.master())
                .append(", spark.executor.memory=").append(conf.get("spark.executor.memory", "1g"));
        for (String key : List.of("spark.executor.cores", "spark.executor.instances", "spark.cores.max")) {
            if (conf.contains(key)) {
                asked.append(", ").append(key).append('=').append(conf.get(key));
            }
        }
        return asked.toString();
    }
}
