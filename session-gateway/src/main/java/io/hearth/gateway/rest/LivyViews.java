package io.hearth.gateway.rest;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;
import io.hearth.gateway.session.ConfRedaction;
import io.hearth.gateway.session.Session;
import io.hearth.gateway.session.SessionSpec;
import io.hearth.gateway.session.SparkJob;
import io.hearth.gateway.session.Statement;
import io.hearth.protocol.ChannelMessage.StatementOutput;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies of the REST API, field for field as Livy writes them, and their mapping from the domain; a statement's
 * is {@link StatementJson}'s, written piece by piece.
 */
final class LivyViews {

    /** Livy shows this many log lines in a session. */
    static final int SESSION_LOG_LINES = 10;

    /**
     * The Livy release whose REST API the gateway speaks (its newest field is 0.9.0's {@code idleTimeout}). Livy
     * clients read the leading x.y.z of {@code GET /version}'s {@code version} as the server's Livy feature level:
     * pylivy refuses {@code sql} and {@code shared} sessions below 0.5.0; Zeppelin turns off cancel below 0.3.0,
     * progress below 0.4.0 and shared sessions below 0.5.0. So {@code version} leads with this level, then names Hearth's
     * own version.
     */
    static final String LIVY_API = "0.9.0";

    private LivyViews() {}

    /** Livy's interactive session; its counts are 0 when not asked for, as Livy's Java ints are, never null. */
    record SessionView(int id, String name, String appId, String owner, String proxyUser, String state, String kind,
                       AppInfo appInfo, List<String> log, String ttl, String idleTimeout, String driverMemory,
                       int driverCores, String executorMemory, int executorCores, Map<String, String> conf,
                       List<String> archives, List<String> files, int heartbeatTimeoutInSecond, List<String> jars,
                       int numExecutors, List<String> pyFiles, String queue, StartView start) {}

    /** Hearth's own: whether the session got a pooled engine ({@code warm}) and its POST to idle time (null while starting). */
    record StartView(String mode, Long millis) {}

    /** Livy's {@code appInfo}. */
    record AppInfo(String driverLogUrl, String sparkUiUrl) {}

    /** {@code GET /sessions}. */
    record SessionList(int from, int total, List<SessionView> sessions) {}

    /** {@code GET /sessions/{id}/state}. */
    record SessionStateView(int id, String state) {}

    /** {@code GET /sessions/{id}/log}. */
    record LogView(int id, int from, int total, List<String> log) {}

    /** One Spark job of a statement, with Livy-style snake_case names. */
    record JobView(@SerializedName("job_id") int jobId, String status, @SerializedName("num_stages") int numStages,
                   @SerializedName("completed_stages") int completedStages, @SerializedName("num_tasks") int numTasks,
                   @SerializedName("completed_tasks") int completedTasks, @SerializedName("active_tasks") int activeTasks,
                   @SerializedName("failed_tasks") int failedTasks) {

        static JobView of(SparkJob p) {
            return new JobView(p.jobId(), p.status(), p.numStages(), p.completedStages(), p.numTasks(),
                    p.completedTasks(), p.activeTasks(), p.failedTasks());
        }
    }

    /** {@code POST /sessions/{id}/completion}: Livy's candidates, plus the span of code each one replaces. */
    record CompletionView(List<String> candidates, @SerializedName("cursor_start") int cursorStart,
                          @SerializedName("cursor_end") int cursorEnd) {}

    /** {@code POST /sessions/{id}/inspect}: Jupyter's inspect_reply fields. */
    record InspectView(boolean found, JsonObject data) {}

    /**
     * {@code GET /version}: Livy's fields ({@code revision} is the git commit, also given as {@code gitCommit}), with
     * {@code version} as {@code <Livy API level>-hearth-<Hearth's version>} and both parts on their own in {@code hearth}.
     */
    record VersionView(String version, String gitCommit, String revision, String branch, String url, String date,
                       String user, HearthVersion hearth) {}

    /** Hearth's own version and the Livy API level it speaks, unparsed. */
    record HearthVersion(String version, String livyApi) {}

    /** Every error, and the acknowledgements of delete and cancel. */
    record Message(String msg) {}

    static SessionView session(Session.Info info, List<String> logTail) {
        SessionSpec s = info.spec();
        return new SessionView(info.id(), s.name(), info.appId(), s.owner(), s.proxyUser(), info.state().wireName(),
                s.kind().wireName(), new AppInfo(info.driverLogUrl(), info.sparkUiUrl()), logTail, s.ttl(), s.idleTimeout(),
                s.driverMemory(), orZero(s.driverCores()), s.executorMemory(), orZero(s.executorCores()),
                ConfRedaction.redact(s.conf()),
                s.archives(), s.files(), s.heartbeatTimeoutInSecond(), s.jars(), orZero(s.numExecutors()),
                s.pyFiles(), s.queue(), new StartView(info.start().mode().wireName(), info.start().millis()));
    }

    static VersionView version(BuildInfo build) {
        return new VersionView(LIVY_API + "-hearth-" + build.version(), build.revision(), build.revision(),
                build.branch(), build.url(), build.date(), build.user(), new HearthVersion(build.version(), LIVY_API));
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }
}
