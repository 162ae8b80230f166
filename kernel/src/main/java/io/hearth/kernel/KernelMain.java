package io.hearth.kernel;

import io.hearth.kernel.execution.SessionStart;
import io.hearth.kernel.gateway.GatewaySettings;
import io.hearth.kernel.install.ClassArchive;
import io.hearth.kernel.install.InstallOptions;
import io.hearth.kernel.install.KernelspecCommands;
import io.hearth.kernel.install.KernelspecInstaller;
import io.hearth.kernel.jupyter.ConnectionInfo;
import io.hearth.kernel.jupyter.KernelServer;
import io.hearth.kernel.livy.StatementKind;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Entry point: {@code java -jar hearth-kernel.jar CONNECTION_FILE} runs the kernel; {@code install ...} installs it. */
public final class KernelMain {

    /** Where the kernel finds the gateway; kernel.json's {@code env} sets it when installed with {@code --gateway}. */
    public static final String GATEWAY_URL_ENV = GatewaySettings.URL_ENV;
    /** The gateway address when {@link #GATEWAY_URL_ENV} is unset (Livy's default port). */
    public static final String DEFAULT_GATEWAY_URL = GatewaySettings.DEFAULT_URL;
    /** The language the kernel serves (a {@link StatementKind}'s wire name); set by kernel.json. */
    public static final String KIND_ENV = "HEARTH_KERNEL_KIND";

    private static final String USAGE = String.join("\n",
            "usage: java -jar hearth-kernel.jar CONNECTION_FILE",
            "         run the Hearth kernel of $" + KIND_ENV + " (Jupyter starts it this way; gateway from $" + GATEWAY_URL_ENV
                    + ", else ~/.config/hearth/kernel.json, else " + DEFAULT_GATEWAY_URL + "); it starts its Spark"
                    + " session at once unless $" + SessionStart.ENV + " or the config file's " + SessionStart.CONFIG_KEY
                    + " says first-cell",
            "       java -jar hearth-kernel.jar install [--user | --sys-prefix | --prefix DIR] [--gateway URL] [--ca-file FILE]"
                    + " [--name NAME] [--no-class-archive]",
            "         write the four kernelspecs to DIR/share/jupyter/kernels/NAME-{pyspark,spark,sql,java} (default name "
                    + InstallOptions.DEFAULT_NAME + ", default place --user); --ca-file: a PEM file of the CA that issued"
                    + " an https:// gateway's certificate, trusted besides the JDK's CAs; a class archive (AppCDS) of the"
                    + " kernel made by one training run lets kernels start faster (--no-class-archive skips it)",
            "       java -jar hearth-kernel.jar list | remove [--user | --sys-prefix | --prefix DIR] [--name NAME]",
            "         list the installed Hearth kernelspecs, or remove them from one place");

    private KernelMain() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.getenv(), System.out, System.err));
    }

    /** Runs the command in {@code args}; returns the process exit code. */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        if (args.get(0).equals("install")) {
            return install(args.subList(1, args.size()), env, out, err);
        }
        if (args.get(0).equals("list") || args.get(0).equals("remove")) {
            return KernelspecCommands.run(args.get(0), args.subList(1, args.size()), env, out, err, USAGE);
        }
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            err.println("error: expected one connection file or 'install', got " + args);
            err.println(USAGE);
            return 2;
        }
        String kindName = env.getOrDefault(KIND_ENV, StatementKind.DEFAULT.wireName());
        java.util.Optional<StatementKind> kind = StatementKind.fromWire(kindName);
        if (kind.isEmpty()) {
            err.println("error: " + KIND_ENV + " is '" + kindName + "'; use " + StatementKind.choices());
            return 2;
        }
        SessionStart sessionStart;
        try {
            sessionStart = SessionStart.resolve(env);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        return serve(Path.of(args.get(0)), GatewaySettings.resolve(env), kind.get(), sessionStart, err);
    }

    private static int install(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            InstallOptions options = InstallOptions.parse(args, env);
            Path jar = ownJar();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            // One archive for the four kernelspecs, in the default kind's directory (removed with them).
            List<String> jvmOptions = List.of();
            if (options.classArchive()) {
                Path archiveDir = options.kernelsDir().resolve(KernelspecInstaller.specName(options, StatementKind.DEFAULT));
                Files.createDirectories(archiveDir);
                ClassArchive.Result archive = ClassArchive.make(java, jar, archiveDir.resolve(ClassArchive.FILE));
                archive.archive().ifPresentOrElse(a -> out.println("Made the kernel's class archive " + a),
                        () -> err.println("warning: no class archive for the kernel (" + archive.problem()
                                + "); kernels start without it, a little slower"));
                jvmOptions = archive.archive().map(ClassArchive::jvmOptions).orElse(List.of());
            }
            for (Path dir : new KernelspecInstaller(java, jar, KernelMain.class.getClassLoader())
                    .install(options, jvmOptions)) {
                out.println("Installed kernelspec " + dir.getFileName() + " in " + dir);
            }
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (IOException e) {
            err.println("error: could not write the kernelspec: " + e);
            return 1;
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getCause().getMessage());
            return 1;
        }
    }

    /** Runs the kernel until Jupyter shuts it down. */
    private static int serve(Path connectionFile, GatewaySettings settings, StatementKind kind, SessionStart sessionStart,
                             PrintStream err) {
        ConnectionInfo connection;
        try {
            connection = ConnectionInfo.parse(Files.readString(connectionFile));
        } catch (NoSuchFileException e) {
            err.println("error: no connection file at " + connectionFile);
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("error: cannot read the connection file " + connectionFile + ": " + e.getMessage());
            return 1;
        }
        try (Kernel kernel = new Kernel(settings, kind)) {
            // Jupyter may kill the kernel without a shutdown_request (e.g. when the server stops): still delete the
            // session so its Spark driver does not linger. After a normal shutdown there is nothing left to delete.
            Thread cleanup = new Thread(kernel.sessions()::shutdown, "hearth-session-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);

            try (KernelServer server = new KernelServer(connection, kernel.handlers())) {
                server.start();
                if (sessionStart == SessionStart.EARLY) {
                    // After the channels are up: the first kernel_info_reply never waits for the gateway.
                    kernel.sessions().startEarly();
                }
                server.awaitShutdown();
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (org.zeromq.ZMQException e) {
            err.println("error: cannot open the Jupyter channels of " + connectionFile + ": " + e.getMessage());
            return 1;
        } catch (GeneralSecurityException e) {
            err.println("error: the connection file's signature scheme cannot be used: " + e.getMessage());
            return 1;
        }
    }

    /** The jar this class was loaded from: kernel.json must point at it. */
    private static Path ownJar() {
        try {
            Path location = Path.of(KernelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
                throw new IllegalStateException("install must run from hearth-kernel.jar (java -jar .../hearth-kernel.jar install ...), not from "
                        + location);
            }
            return location.toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kernel jar: " + e.getMessage());
        }
    }
}
