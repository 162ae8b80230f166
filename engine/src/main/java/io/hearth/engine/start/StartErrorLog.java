package io.hearth.engine.start;

import java.util.ArrayDeque;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Keeps the last errors Spark logs while the SparkSession starts. When the start fails, what Spark throws is often
 * only the consequence ("Cannot call methods on a stopped SparkContext") while the cause went to the log ("All masters
 * are unresponsive! Giving up."); the session's error then carries both. Attached to the root logger for the start only.
 */
final class StartErrorLog extends AbstractAppender implements AutoCloseable {

    private static final int KEPT = 3;
    private static final int MAX_CHARS = 500;

    // Guarded by this: Spark logs from its RPC and scheduler threads.
    private final ArrayDeque<String> errors = new ArrayDeque<>();

    private StartErrorLog() {
        super("hearth-start-errors", null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts listening on the root logger; close stops. */
    static StartErrorLog attach() {
        StartErrorLog log = new StartErrorLog();
        log.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(log, Level.ERROR, null);
        context.updateLoggers();
        return log;
    }

    @Override
    public void append(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        if (message == null || message.isBlank()) {
            return;
        }
        String line = message.length() > MAX_CHARS ? message.substring(0, MAX_CHARS) + "..." : message;
        synchronized (this) {
            errors.remove(line);
            errors.addLast(line);
            if (errors.size() > KEPT) {
                errors.removeFirst();
            }
        }
    }

    /** The last distinct errors, oldest first. */
    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
