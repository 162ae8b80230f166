package io.hearth.gateway.config;

import static io.hearth.gateway.config.SettingType.bool;
import static io.hearth.gateway.config.SettingType.bytes;
import static io.hearth.gateway.config.SettingType.duration;
import static io.hearth.gateway.config.SettingType.integer;
import static io.hearth.gateway.config.SettingType.mebibytes;
import static io.hearth.gateway.config.SettingType.oneOf;
import static io.hearth.gateway.config.SettingType.path;
import static io.hearth.gateway.config.SettingType.port;
import static io.hearth.gateway.config.SettingType.text;

import io.hearth.protocol.EngineLaunch;
import io.hearth.protocol.SessionLogFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Every setting of the gateway, each declared once; the README's settings table is {@link #markdownTable()} (a test
 * holds them equal). Order here is the table's order.
 */
public final class Settings {

    private Settings() {}

    public static final Setting<String> HOST = Setting.of("hearth.gateway.host", "127.0.0.1", text(),
            "address the REST API and the engine channel listen on (beyond loopback only with authentication)");
    public static final Setting<Integer> PORT = Setting.of("hearth.gateway.port", "8998", port(),
            "port of the REST API (Livy's default; 0 = any free port)");
    public static final Setting<String> SPARK_MASTER = Setting.of("hearth.spark.master", EngineLaunch.DEFAULT_MASTER, text(),
            "Spark master for new sessions and batches (`spark://…`, `yarn`, `k8s://…`)");
    public static final Setting<Path> ENGINE_JAR = new Setting<>("hearth.engine.jar", null,
            "none; `bin/hearth` sets it", path(), "the engine to launch (`hearth-engine.jar`)", null);
    public static final Setting<String> PYTHON = new Setting<>("hearth.python", "python3",
            "`python3`; `bin/hearth` sets `.venv/bin/python`", text(),
            "Python for PySpark statements; must have `pyspark==4.2.0`", null);
    public static final Setting<Duration> START_TIMEOUT = Setting.of("hearth.session.start-timeout", "180s",
            duration(true), "how long a session may take to start");
    public static final Setting<Integer> CHANNEL_PORT = Setting.of("hearth.channel.port", "0", port(),
            "port engines dial back to (0: the one of the last start, else any)");
    public static final Setting<String> CHANNEL_ADVERTISED_HOST = new Setting<>("hearth.channel.advertised-host", null,
            "`hearth.gateway.host`; this host's name if that is `0.0.0.0`", text(),
            "address cluster-mode engines (drivers on cluster nodes) dial back to; must be reachable from the nodes",
            null);
    public static final Setting<String> CHANNEL_ENCRYPTION = Setting.of("hearth.channel.encryption", "off-host",
            oneOf("off-host", "always"), "when the engine channel is TLS 1.3: `off-host` for every engine that dials"
                    + " a non-loopback address (plain connections from other hosts are refused), `always` on loopback"
                    + " too; engines pin the gateway's own certificate (`channel-cert.pem` in the state dir)");
    public static final Setting<Path> STATE_DIR = new Setting<>("hearth.state.dir",
            Path.of(System.getProperty("user.home"), ".hearth", "gateway-state").toString(),
            "`~/.hearth/gateway-state`", path(),
            "sessions, statements and engine logs, kept across gateway restarts (one gateway at a time)", null);
    public static final Setting<Duration> RECONNECT_GRACE = Setting.of("hearth.engine.reconnect-grace", "120s",
            duration(false), "how long engines and a restarted gateway wait for each other");
    public static final Setting<String> LAUNCHER = Setting.of("hearth.launcher", "auto",
            oneOf("auto", "local", "spark-submit"),
            "`local` (child JVM), `spark-submit`, or `auto`: local for `local*` masters, spark-submit otherwise");
    public static final Setting<Path> SPARK_HOME = new Setting<>("hearth.spark.home", null,
            "`SPARK_HOME`, else the venv's `pyspark` package", path(),
            "the Spark distribution whose `spark-submit` runs engines and batches", "SPARK_HOME");
    public static final Setting<Path> HADOOP_CONF_DIR = new Setting<>("hearth.hadoop.conf-dir", null,
            "`HADOOP_CONF_DIR`", path(), "the Hadoop client configuration (`yarn-site.xml`, `core-site.xml`) spark-submit"
                    + " gets as `HADOOP_CONF_DIR`: required for the `yarn` master; also where `hdfs://` paths resolve",
            "HADOOP_CONF_DIR");
    public static final Setting<String> YARN_JARS = Setting.of("hearth.spark.yarn-jars", null, text(),
            "`spark.yarn.jars` for sessions and batches on YARN that set none (e.g. `local:/usr/lib/spark/jars/*` where"
                    + " every node has Spark there); none: each application uploads the distribution's jars");
    public static final Setting<Path> SPARK_CONF_DIR = new Setting<>("hearth.spark.conf-dir", null,
            "`SPARK_CONF_DIR`, else `conf/` of `hearth.spark.home`", path(),
            "where `spark-defaults.conf` is read at start-up: Spark defaults for every session and batch, under the"
                    + " config file's `spark.*` keys and what a session sets", "SPARK_CONF_DIR");
    public static final Setting<String> DEPLOY_MODE = Setting.of("hearth.spark.deploy-mode", "client",
            oneOf("client", "cluster"), "`cluster` runs engines as drivers in the cluster: for `yarn`, `spark://` and `k8s://` (see docs/architecture.md)");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.of("hearth.session.idle-timeout", "1h",
            duration(false), "idle sessions are stopped after this (`0` = never); busy ones never");
    public static final Setting<Integer> MAX_SESSIONS = Setting.of("hearth.session.max", "20",
            integer(1, Integer.MAX_VALUE), "live sessions at most, and running batches at most (429 beyond)");
    public static final Setting<Integer> MAX_STARTING = Setting.of("hearth.session.max-starting", "4",
            integer(1, Integer.MAX_VALUE), "sessions starting at once at most (429 with `Retry-After`)");
    public static final Setting<Integer> POOL_SIZE = new Setting<>("hearth.pool.size", "-1",
            "`1` with a `local*` master, `0` otherwise", integer(-1, Integer.MAX_VALUE),
            "started, idle engines kept ready for new sessions whose launch settings are the gateway's defaults (`0`"
                    + " = none, `-1` = the default); they count against `hearth.session.max` but give way to sessions",
            null);
    public static final Setting<Duration> POOL_MAX_IDLE = Setting.of("hearth.pool.max-idle", "30m", duration(true),
            "a pooled engine nobody took within this is replaced by a fresh one");
    public static final Setting<Boolean> ALLOW_MASTER_OVERRIDE = Setting.of("hearth.session.allow-master-override",
            "false", bool(), "let a session's `conf` set `spark.master`/`spark.submit.deployMode`");
    public static final Setting<Long> MAX_MEMORY = Setting.of("hearth.session.max-memory", "64g", mebibytes(),
            "the most driver or executor memory one session may ask for");
    public static final Setting<Integer> MAX_CORES = Setting.of("hearth.session.max-cores", "64",
            integer(1, Integer.MAX_VALUE), "the most driver or executor cores one session may ask for");
    public static final Setting<Integer> MAX_EXECUTORS = Setting.of("hearth.session.max-executors", "1000",
            integer(0, Integer.MAX_VALUE), "the most executors one session may ask for");
    public static final Setting<List<Path>> ALLOWED_LOCAL_DIRS = Setting.of("hearth.session.allowed-local-dirs",
            null, (key, text) -> localDirs(key, text), "comma list of directories on the gateway's host whose files"
                    + " sessions and batches may name in `jars`, `pyFiles`, `files`, `archives` and the matching"
                    + " `spark.*` keys (Livy's `livy.file.local-dir-whitelist`); other local paths get 400");
    /** A String holds at most 2^31 characters, and the gateway holds a statement's output in memory. */
    static final long MAX_STATEMENT_OUTPUT_CEILING = 1L << 30;
    public static final Setting<Long> MAX_STATEMENT_OUTPUT = Setting.of("hearth.statement.max-output", "64m",
            bytes(1024, MAX_STATEMENT_OUTPUT_CEILING), "the most one statement may return: printed text, shown values"
                    + " and result, in UTF-8 bytes (`k`/`m`/`g` binary, `1k`–`1g`); past it the statement ends with an"
                    + " `OutputTooLarge` error");
    public static final Setting<Long> OUTPUT_CACHE_SIZE = Setting.of("hearth.statement.output-cache-size", "64m",
            bytes(0, 1L << 40), "how much gateway heap finished statements read back from (or just written to) the"
                    + " state store may keep"
                    + " for the next reader (estimated, least recently read dropped first; `0` keeps none): finished"
                    + " statements' output and events live in the store, not in memory");
    public static final Setting<Integer> MAX_WAITING_STATEMENTS = Setting.of("hearth.statement.max-waiting",
            "5000", integer(1, Integer.MAX_VALUE), "statements a session may have waiting or running at once (429 with"
                    + " `Retry-After` beyond): each holds its code in the gateway's heap until it ends");
    public static final Setting<Long> MAX_WAITING_CODE = Setting.of("hearth.statement.max-waiting-code", "16m",
            bytes(1, 1L << 40), "characters of code a session's waiting and running statements may hold together (429"
                    + " beyond; one statement alone is always taken)");
    public static final Setting<Integer> MAX_STREAMS_PER_USER = Setting.of("hearth.statement.max-event-streams",
            "100", integer(1, Integer.MAX_VALUE), "statement event streams (`…/events`, `POST` with"
                    + " `Accept: text/event-stream`) one user may have open at once (429 beyond); with authentication"
                    + " off every caller counts as one user");
    public static final Setting<Long> SESSION_LOG_MAX_SIZE = Setting.of(SessionLogFile.SETTING, "64m",
            bytes(64 * 1024, 1L << 40), "the most disk one session's log (`engine.log` and its rotated `engine.log.1`)"
                    + " takes; past it the oldest output is dropped, with a line saying how much");
    public static final Setting<String> ENGINE_OS_USER_MAP = Setting.of("hearth.engine.os-user-map", "{user}", text(),
            "with authentication on, the OS account each engine runs as: `{user}` is replaced by the session's"
                    + " `proxyUser`, else its owner (e.g. `hearth-{user}`); a user without that account is refused"
                    + " (403); the gateway must run as root (see *A gateway for a team*)");
    public static final Setting<Boolean> SHARED_OS_USER = Setting.of("hearth.engine.shared-os-user", "false", bool(),
            "with authentication on, run every engine as the gateway's own OS account instead (users' code can then"
                    + " read each other's engines and the gateway's files)");
    public static final Setting<Path> ENGINE_WORK_DIR = new Setting<>("hearth.engine.work-dir", null,
            "`hearth-engines-<uid>-<hash of the state dir>` in the system temp dir", path(),
            "where engines (and batches) that run as their users' accounts get a directory each: the log, and a"
                    + " working directory owned by that account", null);
    public static final Setting<List<String>> ENGINE_ENV = Setting.of("hearth.engine.env", null,
            (key, text) -> java.util.Arrays.stream(text.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                    .toList(),
            "comma list of the gateway's environment variables engines get beside the built-in allow-list (`PATH`,"
                    + " `LANG`, `LC_*`, `TZ`, `TMPDIR`, `JAVA_HOME`, `SPARK_*`, `PYSPARK_*`, `HADOOP_CONF_DIR`, …) when"
                    + " they run as their users' accounts; engines of the gateway's own account get its whole"
                    + " environment but its `HEARTH_*` settings, and these names too");
    public static final Setting<Set<AuthSettings.Method>> AUTH_METHODS = Setting.of("hearth.auth.methods", "none",
            AuthSettings::parseMethods,
            "how callers authenticate: `none`, `token` (bearer tokens), `basic` (HTTP Basic) or `token,basic`");
    public static final Setting<Path> AUTH_TOKENS_FILE = Setting.of("hearth.auth.tokens-file", null, path(),
            "`user:sha256:<hex>` lines (`bin/hearth gateway hash-token USER`); required with `token`");
    public static final Setting<Path> AUTH_USERS_FILE = Setting.of("hearth.auth.users-file", null, path(),
            "`user:pbkdf2-sha256:…` lines (`bin/hearth gateway hash-password USER`); required with `basic`");
    public static final Setting<Set<String>> AUTH_SUPERUSERS = Setting.of("hearth.auth.superusers", null,
            (key, text) -> AuthSettings.parseUsers(text),
            "comma list of users who may access every session and act as anyone (`doAs`, `proxyUser`)");
    public static final Setting<Boolean> CSRF_ENABLED = Setting.of("hearth.csrf.enabled", "false", bool(),
            "Livy's CSRF check: requests other than GET/HEAD/OPTIONS need an `X-Requested-By` header");
    public static final Setting<Boolean> ALLOW_UNAUTHENTICATED = Setting.of("hearth.gateway.allow-unauthenticated",
            "false", bool(), "listen beyond loopback with `hearth.auth.methods=none`: anyone who reaches the gateway"
                    + " can then run code as its user");

    public static final Setting<Path> TLS_CERT_FILE = Setting.of("hearth.gateway.tls.cert-file", null, path(),
            "PEM certificate chain, leaf first, for HTTPS (with `hearth.gateway.tls.key-file`); reloaded when it"
                    + " changes (`bin/hearth gateway tls-selfsigned HOST...` makes one)");
    public static final Setting<Path> TLS_KEY_FILE = Setting.of("hearth.gateway.tls.key-file", null, path(),
            "its PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC), not encrypted; keep it `chmod 600`");
    public static final Setting<Path> TLS_KEYSTORE_FILE = Setting.of("hearth.gateway.tls.keystore-file", null,
            path(), "instead of the PEM files: a PKCS#12 keystore holding one key and its chain; reloaded when it"
                    + " changes");
    public static final Setting<Path> TLS_KEYSTORE_PASSWORD_FILE = Setting.of(
            "hearth.gateway.tls.keystore-password-file", null, path(),
            "a file whose first line is the keystore's password (never a setting's value: those show in the process"
                    + " environment and the config); none: no password");
    public static final Setting<Boolean> ALLOW_PLAIN_HTTP = Setting.of("hearth.gateway.allow-plain-http", "false",
            bool(), "listen beyond loopback with authentication but without TLS: tokens, passwords, code and results"
                    + " then cross the network in clear (e.g. behind a TLS-terminating proxy on the same host)");

    /** Every setting, in the order the docs list them. */
    public static final List<Setting<?>> ALL = List.of(HOST, PORT, SPARK_MASTER, ENGINE_JAR, PYTHON, START_TIMEOUT,
            CHANNEL_PORT, CHANNEL_ADVERTISED_HOST, CHANNEL_ENCRYPTION, STATE_DIR, RECONNECT_GRACE, LAUNCHER, SPARK_HOME, SPARK_CONF_DIR,
            HADOOP_CONF_DIR, YARN_JARS, DEPLOY_MODE, IDLE_TIMEOUT, MAX_SESSIONS,
            MAX_STARTING, POOL_SIZE, POOL_MAX_IDLE, ALLOW_MASTER_OVERRIDE, MAX_MEMORY, MAX_CORES, MAX_EXECUTORS, ALLOWED_LOCAL_DIRS,
            MAX_STATEMENT_OUTPUT, OUTPUT_CACHE_SIZE, MAX_WAITING_STATEMENTS, MAX_WAITING_CODE, MAX_STREAMS_PER_USER, SESSION_LOG_MAX_SIZE,
            AUTH_METHODS, AUTH_TOKENS_FILE,
            AUTH_USERS_FILE, AUTH_SUPERUSERS, CSRF_ENABLED, ALLOW_UNAUTHENTICATED, ENGINE_OS_USER_MAP, SHARED_OS_USER,
            ENGINE_WORK_DIR, ENGINE_ENV,
            TLS_CERT_FILE, TLS_KEY_FILE, TLS_KEYSTORE_FILE, TLS_KEYSTORE_PASSWORD_FILE, ALLOW_PLAIN_HTTP);

    /** Absolute directories only: a relative one would depend on where the gateway was started. */
    private static List<Path> localDirs(String key, String text) {
        List<Path> dirs = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Path dir = Path.of(part.trim());
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException(key + " takes absolute directories, not " + part.trim());
            }
            dirs.add(dir.normalize());
        }
        return List.copyOf(dirs);
    }

    /** The settings table of the README: one row per setting, with its environment variable and default. */
    public static String markdownTable() {
        StringBuilder t = new StringBuilder("| property | environment | default | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            t.append("| `").append(s.key()).append("` | `").append(s.env()).append("` | ").append(s.documentedDefault())
                    .append(" | ").append(s.doc()).append(" |\n");
        }
        return t.toString();
    }
}
