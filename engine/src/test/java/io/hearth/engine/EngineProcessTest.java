package io.hearth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.engine.python.PysparkVersionCheck;
import io.hearth.protocol.Channel;
import io.hearth.protocol.ChannelAuth;
import io.hearth.protocol.ChannelMessage;
import io.hearth.protocol.EngineEnvironment;
import io.hearth.protocol.EngineLaunch;
import io.hearth.protocol.Handshake;
import io.hearth.protocol.LinkKey;
import io.hearth.protocol.MessageCodec;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine as the gateway sees it: a separate JVM that dials a channel, proves its secret and serves statements. */
class EngineProcessTest {

    private static final String SESSION = "engine-process-test";
    private static final int TIMEOUT_MILLIS = 120_000;

    @TempDir
    Path temp;

    @Test
    void theLaunchContractNamesThisMainClass() {
        assertEquals(EngineMain.class.getName(), EngineLaunch.MAIN_CLASS);
    }

    @Test
    void engineRunsEveryKindOnOneSparkSessionAndExitsOnShutdownTakingItsPythonAlong() throws Exception {
        String secret = new ChannelAuth().newSecret();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path log = temp.resolve("engine.log");
            long start = System.nanoTime();
            Process engine = startEngine(server.getLocalPort(), secret, Map.of(), log);
            try (Channel channel = accept(server, secret)) {
                ChannelMessage.EngineReady ready = expect(channel, ChannelMessage.EngineReady.class);
                long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.println("engine process start to EngineReady: " + readyMillis + " ms");
                assertEquals(PysparkVersionCheck.jvmSparkVersion(), ready.sparkVersion());
                assertEquals("local[2]", ready.master());
                assertTrue(ready.appId().startsWith("local-"), ready.appId());

                long statementStart = System.nanoTime();
                channel.send(new ChannelMessage.Execute(0, "pyspark", "1+1"));
                assertEquals(0, expect(channel, ChannelMessage.StatementStarted.class).statementId());
                ChannelMessage.StatementFinished finished = expect(channel, ChannelMessage.StatementFinished.class);
                System.out.println("1+1 over the channel: "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - statementStart) + " ms");
                assertEquals("available", finished.state());
                assertEquals("2", finished.output().data().get("text/plain").getAsString());

                channel.send(new ChannelMessage.Execute(1, null,
                        "import os\n'" + secret + "' not in repr(dict(os.environ))"));
                expect(channel, ChannelMessage.StatementStarted.class);
                assertEquals("True", expect(channel, ChannelMessage.StatementFinished.class)
                        .output().data().get("text/plain").getAsString(), "user code must not see the secret");

                channel.send(new ChannelMessage.Execute(2, "java",
                        "jsc.parallelize(List.of(1, 2, 3), 2).map(x -> x * 2).collect()"));
                expect(channel, ChannelMessage.StatementStarted.class);
                assertEquals("[2, 4, 6]", expect(channel, ChannelMessage.StatementFinished.class)
                        .output().data().get("text/plain").getAsString(), "java statements run in the engine");
                long scalaStart = System.nanoTime();
                channel.send(new ChannelMessage.Execute(3, "spark", "spark.range(5).count()"));
                expect(channel, ChannelMessage.StatementStarted.class);
                ChannelMessage.StatementFinished scala = expect(channel, ChannelMessage.StatementFinished.class);
                System.out.println("first Scala statement over the channel (starts the compiler): "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - scalaStart) + " ms");
                assertEquals("val res0: Long = 5", scala.output().data().get("text/plain").getAsString(),
                        scala.toString());

                // One SparkSession for every kind: a view made in Python is there for SQL, Scala and Java.
                channel.send(new ChannelMessage.Execute(4, "pyspark",
                        "spark.range(1, 5).toDF('n').createOrReplaceTempView('shared_numbers')"));
                expect(channel, ChannelMessage.StatementStarted.class);
                expect(channel, ChannelMessage.StatementFinished.class);
                Map<String, String> sumOfShared = Map.of(
                        "sql", "SELECT sum(n) AS total FROM shared_numbers",
                        "scala", "spark.table(\"shared_numbers\").count()",
                        "java", "spark.table(\"shared_numbers\").count()");
                long next = 5;
                for (Map.Entry<String, String> e : sumOfShared.entrySet()) {
                    channel.send(new ChannelMessage.Execute(next++, e.getKey(), e.getValue()));
                    expect(channel, ChannelMessage.StatementStarted.class);
                    ChannelMessage.StatementOutput out = expect(channel, ChannelMessage.StatementFinished.class).output();
                    assertEquals("ok", out.status(), e.getKey() + ": " + out);
                    String text = out.data().get("text/plain").getAsString();
                    assertTrue(text.contains(e.getKey().equals("sql") ? "10" : "4"), e.getKey() + ": " + text);
                }

                List<ProcessHandle> children = engine.descendants().toList();
                assertFalse(children.isEmpty(), "the engine has no Python child");
                channel.send(new ChannelMessage.Shutdown());
                assertTrue(engine.waitFor(60, TimeUnit.SECONDS), "the engine did not exit after Shutdown");
                assertEquals(0, engine.exitValue());
                for (ProcessHandle child : children) {
                    child.onExit().get(10, TimeUnit.SECONDS);
                }
            } finally {
                engine.destroyForcibly();
            }
            assertFalse(Files.readString(log).contains(secret), "the secret was logged");
        }
    }

    @Test
    void engineWithAMismatchedPysparkReportsEngineFailedAndExitsWithOne() throws Exception {
        Path fake = temp.resolve("fake-site/pyspark");
        Files.createDirectories(fake);
        Files.writeString(fake.resolve("__init__.py"), "__version__ = \"0.0.1\"\n");
        String secret = new ChannelAuth().newSecret();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process engine = startEngine(server.getLocalPort(), secret,
                    Map.of("PYTHONPATH", fake.getParent().toString()), temp.resolve("failed.log"));
            try (Channel channel = accept(server, secret)) {
                String reason = expect(channel, ChannelMessage.EngineFailed.class).reason();
                assertTrue(reason.contains("pyspark 0.0.1"), reason);
                assertTrue(reason.contains("Spark " + PysparkVersionCheck.jvmSparkVersion()), reason);
                assertTrue(reason.contains(python()), reason);
                assertTrue(engine.waitFor(60, TimeUnit.SECONDS), "the engine did not exit");
                assertEquals(1, engine.exitValue());
            } finally {
                engine.destroyForcibly();
            }
        }
    }

    private static Process startEngine(int port, String secret, Map<String, String> extraEnv, Path log)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The options Spark needs (surefire's argLine: Spark's --add-opens list) are what this JVM got.
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-") || option.startsWith("-XX:+IgnoreUnrecognized")
                    || option.startsWith("-Djdk.reflect") || option.startsWith("-Dio.netty")) {
                command.add(option);
            }
        }
        // The jar exists only after `package`; the test classpath holds the same classes and dependencies.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineMain.class.getName(),
                "--conf", "spark.master=local[2]", "--conf", "spark.ui.enabled=false"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        env.putAll(new EngineEnvironment("127.0.0.1", port, SESSION, secret, python(), null, null, null).variables());
        env.putAll(extraEnv);
        Process engine = builder.start();
        EngineEnvironment.writeSecret(engine.getOutputStream(), secret);
        return engine;
    }

    /** The gateway's side of the handshake, as the session gateway does it. */
    private static Channel accept(ServerSocket server, String secret) throws Exception {
        server.setSoTimeout(TIMEOUT_MILLIS);
        Socket socket = server.accept();
        Handshake.Claim claim = new Handshake(new MessageCodec(), new ChannelAuth()).verify(socket,
                id -> SESSION.equals(id) ? Optional.of(new Handshake.Expected(secret, new LinkKey("link-key")))
                        : Optional.empty());
        assertEquals(SESSION, claim.sessionId());
        Channel channel = claim.welcome();
        socket.setSoTimeout(TIMEOUT_MILLIS); // a hung engine fails the test instead of hanging it
        return channel;
    }

    /** The next message that is not output, which must be of the given type. */
    private static <T extends ChannelMessage> T expect(Channel channel, Class<T> type) throws Exception {
        while (true) {
            ChannelMessage m = channel.receive();
            if (m == null) {
                throw new AssertionError("the engine closed the channel while " + type.getSimpleName() + " was due");
            }
            if (m instanceof ChannelMessage.Output || m instanceof ChannelMessage.Progress) {
                continue;
            }
            if (!type.isInstance(m)) {
                throw new AssertionError("expected " + type.getSimpleName() + " but got " + m);
            }
            return type.cast(m);
        }
    }

    private static String python() {
        return new File(System.getProperty("hearth.python")).getPath();
    }
}
