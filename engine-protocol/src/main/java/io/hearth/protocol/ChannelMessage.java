package io.hearth.protocol;

import com.google.gson.JsonObject;

/** A message on the channel between the session gateway and an engine; each record is one message type. */
public sealed interface ChannelMessage {

    /** Gateway to engine, first on every connection: prove you hold the session's secret. */
    record Challenge(String nonce) implements ChannelMessage {}

    /**
     * Engine to gateway: which session this engine serves, the HMAC of the nonce under its secret and, on every
     * connection after its first, under the {@link LinkKey} its first {@code Welcome} gave it ({@code linkMac}, null
     * on the first). {@code protocol} is {@link Handshake#PROTOCOL_VERSION} (absent, so 0, from engines older than it).
     */
    record Hello(String sessionId, String mac, String linkMac, int protocol) implements ChannelMessage {}

    /**
     * Gateway to engine: the proof was accepted; the channel is open. {@code maxStatementOutput} is the gateway's
     * {@code hearth.statement.max-output}: the most bytes one statement may return (UTF-8 printed text plus the JSON of
     * its shown values and result); past it the engine ends the statement with an error. It also sizes the channel's
     * longest message ({@link Channel#maxLineChars(long)}), on both sides. {@code linkKey} is the session's
     * {@link LinkKey}, which the engine proves on its later connections.
     */
    record Welcome(long maxStatementOutput, String linkKey) implements ChannelMessage {}

    /** Gateway to engine, then the connection closes: the proof was refused. */
    record Rejected(String reason) implements ChannelMessage {}

    /**
     * Engine to gateway: the SparkSession and interpreters are up. {@code sparkUiUrl} is where users reach the Spark UI
     * (on YARN, through the ResourceManager's proxy); {@code driverLogUrl} is the driver's log when the cluster serves
     * it (a YARN container's), else null and the gateway's own session log stands in.
     */
    record EngineReady(String appId, String sparkUiUrl, String sparkVersion, String master, String driverLogUrl)
            implements ChannelMessage {}

    /** Engine to gateway: the engine could not start; the gateway marks the session dead with this reason. */
    record EngineFailed(String reason) implements ChannelMessage {}

    /**
     * Gateway to engine: run this statement after the ones already queued. {@code kind} is a {@link StatementKind}'s
     * name (null: {@link StatementKind#DEFAULT}); it stays text so that an engine answers a kind it does not know with
     * an error rather than a failure to read the message.
     */
    record Execute(long statementId, String kind, String code) implements ChannelMessage {}

    /** Gateway to engine: cancel this statement, running or queued. */
    record Cancel(long statementId) implements ChannelMessage {}

    /** Engine to gateway: the statement began running. */
    record StatementStarted(long statementId, long startedAt) implements ChannelMessage {}

    /** Engine to gateway: output the statement printed, as soon as it is printed. */
    record Output(long statementId, String stream, String text) implements ChannelMessage {}

    /**
     * Engine to gateway: a rich value the statement showed while running ({@code display(obj)}, a matplotlib figure),
     * as a MIME bundle like a result's; a statement may send several, in order, all before its {@code StatementFinished}.
     */
    record Display(long statementId, JsonObject data) implements ChannelMessage {}

    /**
     * Engine to gateway, several times a second while the statement's Spark jobs run: Livy's 0..1 float (never
     * decreasing) and the state of each job.
     */
    record Progress(long statementId, double progress, java.util.List<JobProgress> jobs) implements ChannelMessage {
        public Progress {
            jobs = jobs == null ? java.util.List.of() : java.util.List.copyOf(jobs);
        }
    }

    /**
     * One Spark job of a statement. Status is Spark's (RUNNING, SUCCEEDED, FAILED, UNKNOWN). A succeeded job counts
     * its skipped stages (output reused from an earlier job) as completed, as the Spark UI's progress bar does.
     */
    record JobProgress(int jobId, String status, int numStages, int completedStages, int numTasks,
                       int completedTasks, int activeTasks, int failedTasks) {}

    /**
     * Engine to gateway: something about the cluster holds the running statement up, which Spark would otherwise only
     * log: its tasks have waited for executors past {@code spark.starvation.timeout} ({@link #WAITING_FOR_EXECUTORS}),
     * or an executor was lost while it ran ({@link #EXECUTOR_LOST}). {@code message} is for people; {@code reason} for
     * clients that react (a progress display saying it waits).
     */
    record StatementWarning(long statementId, String reason, String message) implements ChannelMessage {
        public static final String WAITING_FOR_EXECUTORS = "waiting-for-executors";
        public static final String EXECUTOR_LOST = "executor-lost";
    }

    /** Engine to gateway: the statement ended, with Livy's output object. */
    record StatementFinished(long statementId, String state, StatementOutput output, long completedAt) implements ChannelMessage {}

    /**
     * Gateway to engine: these statements' ends are in the gateway's store, so a restarted gateway will never ask for
     * them; the engine may forget them. Until then the engine keeps every statement it received (see {@link Resync}).
     * Sent after each end the gateway stores, and once after a resync for the ends it replayed.
     */
    record StatementsStored(java.util.List<Long> statementIds) implements ChannelMessage {
        public StatementsStored {
            statementIds = statementIds == null ? java.util.List.of() : java.util.List.copyOf(statementIds);
        }
    }

    /**
     * Engine to gateway: the engine can run no more statements (its SparkContext was stopped); the gateway marks the
     * session dead with this reason, which says what happened and what to do.
     */
    record EngineUnusable(String reason) implements ChannelMessage {}

    /** Gateway to engine: completion candidates for {@code code} at {@code cursor} (a code-point index). */
    record Complete(long requestId, String kind, String code, int cursor) implements ChannelMessage {}

    /** Engine to gateway: the answer to {@link Complete}; each match replaces the code from cursorStart to cursorEnd. */
    record CompleteReply(long requestId, java.util.List<String> matches, int cursorStart, int cursorEnd)
            implements ChannelMessage {
        public CompleteReply {
            matches = matches == null ? java.util.List.of() : java.util.List.copyOf(matches);
        }
    }

    /** Gateway to engine: documentation for the name at {@code cursor}; detail level 0 or 1, as Jupyter's. */
    record Inspect(long requestId, String kind, String code, int cursor, int detailLevel) implements ChannelMessage {}

    /** Engine to gateway: the answer to {@link Inspect}, a MIME bundle when something was found. */
    record InspectReply(long requestId, boolean found, JsonObject data) implements ChannelMessage {}

    /**
     * Gateway to engine, when a pooled engine is handed to a session: set these Spark settings on the running
     * SparkSession, all of them or, if any cannot change at runtime, none.
     */
    record ApplyConf(long requestId, java.util.Map<String, String> conf) implements ChannelMessage {
        public ApplyConf {
            conf = java.util.Map.copyOf(conf);
        }
    }

    /** Engine to gateway: the answer to {@link ApplyConf}; {@code refused} is null when all were set, else why none was. */
    record ConfApplied(long requestId, String refused) implements ChannelMessage {}

    /** Gateway to engine: stop the SparkSession and exit. */
    record Shutdown() implements ChannelMessage {}

    /** Either side: keeps an idle connection observably alive. */
    record Ping() implements ChannelMessage {}

    /**
     * Gateway to engine, first after a reconnection: the statements whose end the gateway does not know, in id order.
     * The engine answers with a {@link StatementReplay} for each one it has in its history, then {@link ResyncDone};
     * it forgets the finished statements not asked for, whose ends the gateway has stored.
     */
    record Resync(java.util.List<Long> statementIds) implements ChannelMessage {
        public Resync {
            statementIds = statementIds == null ? java.util.List.of() : java.util.List.copyOf(statementIds);
        }
    }

    /**
     * Engine to gateway, during a resync: the engine has this statement, and what it knows of it follows at once, as
     * the live messages would carry it: its {@code Output} and {@code Display} messages in order, then its
     * {@code StatementFinished} if it has finished. The gateway drops what it held of the statement's output on this
     * message (so a replay sent twice changes nothing); {@code startedAt} is 0 until it starts. One message per piece,
     * not one for the whole statement, so that no message outgrows the channel's limit.
     */
    record StatementReplay(long statementId, long startedAt) implements ChannelMessage {}

    /**
     * Engine to gateway, ending a resync: the statements of the {@link Resync} the engine never received, which the
     * gateway sends again, in order. Live messages follow.
     */
    record ResyncDone(java.util.List<Long> unknownStatementIds) implements ChannelMessage {
        public ResyncDone {
            unknownStatementIds = unknownStatementIds == null ? java.util.List.of()
                    : java.util.List.copyOf(unknownStatementIds);
        }
    }

    /** Livy's statement output: {@code status} "ok" with {@code data}, or "error" with ename, evalue, traceback. */
    record StatementOutput(String status, int executionCount, JsonObject data, String ename, String evalue,
                           java.util.List<String> traceback) {

        public static StatementOutput ok(int executionCount, JsonObject data) {
            return new StatementOutput("ok", executionCount, data, null, null, null);
        }

        public static StatementOutput error(int executionCount, String ename, String evalue, java.util.List<String> traceback) {
            return new StatementOutput("error", executionCount, null, ename, evalue, java.util.List.copyOf(traceback));
        }

        public boolean isError() {
            return "error".equals(status);
        }
    }
}
