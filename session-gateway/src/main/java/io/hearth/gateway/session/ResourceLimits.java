package io.hearth.gateway.session;

import io.hearth.gateway.config.Settings;
import io.hearth.gateway.config.SparkMemory;
import io.hearth.gateway.http.ApiException;
import java.util.Map;

/**
 * The most one session may ask for, so that a typo ({@code "driverMemory": "999999t"}) is refused with a message
 * instead of launching an engine that can never start. Checked against the session's effective Spark configuration,
 * so a limit holds whether it was asked for by a Livy field or under {@code conf}.
 *
 * @param maxMemoryMib  the most driver or executor memory, in MiB
 * @param maxCores      the most driver or executor cores
 * @param maxExecutors  the most executors
 */
public record ResourceLimits(long maxMemoryMib, int maxCores, int maxExecutors) {

    public ResourceLimits {
        if (maxMemoryMib <= 0 || maxCores <= 0 || maxExecutors < 0) {
            throw new IllegalArgumentException("resource limits must be positive");
        }
    }

    /** Refuses (400) a session asking for more than the limits or for an amount that is not a number. */
    public void check(SessionSpec spec) {
        Map<String, String> conf = spec.sparkConf(0);
        memory(conf, "spark.driver.memory", spec.driverMemory(), "driverMemory");
        memory(conf, "spark.executor.memory", spec.executorMemory(), "executorMemory");
        count(conf, "spark.driver.cores", spec.driverCores(), "driverCores", 1, maxCores, Settings.MAX_CORES.key());
        count(conf, "spark.executor.cores", spec.executorCores(), "executorCores", 1, maxCores,
                Settings.MAX_CORES.key());
        count(conf, "spark.executor.instances", spec.numExecutors(), "numExecutors", 0, maxExecutors,
                Settings.MAX_EXECUTORS.key());
    }

    private void memory(Map<String, String> conf, String key, String field, String fieldName) {
        String value = conf.get(key);
        if (value == null) {
            return;
        }
        String asked = field != null ? "'" + fieldName + "'" : "'conf." + key + "'";
        if (!SparkMemory.isValid(value)) {
            throw ApiException.badRequest(asked + " must be a memory size like 512m or 2g, not '" + value + "'");
        }
        long mib;
        try {
            mib = SparkMemory.mebibytes(value);
        } catch (ArithmeticException | NumberFormatException e) {
            mib = Long.MAX_VALUE;
        }
        if (mib < 1) {
            throw ApiException.badRequest(asked + " must be at least 1m, not '" + value + "'");
        }
        if (mib > maxMemoryMib) {
            throw ApiException.badRequest(asked + " asks for " + value.trim() + ", more than this gateway's limit of "
                    + maxMemoryMib + "m (" + Settings.MAX_MEMORY.key() + ")");
        }
    }

    private static void count(Map<String, String> conf, String key, Integer field, String fieldName, int min, int max,
                              String limitKey) {
        String value = conf.get(key);
        if (value == null) {
            return;
        }
        String asked = field != null ? "'" + fieldName + "'" : "'conf." + key + "'";
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(asked + " must be a whole number, not '" + value + "'");
        }
        if (n < min) {
            throw ApiException.badRequest(asked + " must be at least " + min + ", not " + n);
        }
        if (n > max) {
            throw ApiException.badRequest(asked + " asks for " + n + ", more than this gateway's limit of " + max
                    + " (" + limitKey + ")");
        }
    }
}
