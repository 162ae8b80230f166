package io.hearth.gateway;

import io.hearth.gateway.auth.HashPasswordCommand;
import io.hearth.gateway.auth.HashTokenCommand;
import io.hearth.gateway.auth.ListenPolicy;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Settings;
import io.hearth.gateway.config.SettingsCommand;
import io.hearth.gateway.rest.BuildInfo;
import io.hearth.gateway.launch.ClassArchiveCommand;
import io.hearth.gateway.tls.SelfSignedCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code hearth-session-gateway.jar} command: resolves the configuration and runs a {@link Gateway} in the foreground. */
@Command(name = "hearth-gateway", mixinStandardHelpOptions = true, versionProvider = GatewayMain.Version.class,
        subcommands = {HashPasswordCommand.class, HashTokenCommand.class, SettingsCommand.class,
                SelfSignedCommand.class, ClassArchiveCommand.class},
        description = {"Livy-compatible REST gateway that runs one Spark engine per session.",
                "Settings: command line > environment (HEARTH_*) > --config file (hearth.*) > defaults;"
                        + " 'hearth-gateway settings' lists them."})
public final class GatewayMain implements Callable<Integer> {

    @Option(names = "--host", description = "Address to listen on (default 127.0.0.1; beyond loopback only with"
            + " hearth.auth.methods set and TLS, or the explicit opt-ins hearth.gateway.allow-unauthenticated,"
            + " hearth.gateway.allow-plain-http).")
    private String host;

    @Option(names = "--port", description = "REST port (default 8998; 0 = any free port).")
    private Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with hearth.* keys.")
    private Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        GatewayConfig cfg;
        try {
            cfg = GatewayConfig.resolve(cliValues(), System.getenv(), loadConfigFile());
        } catch (IllegalArgumentException | IOException e) {
            err.println("hearth-gateway: " + e.getMessage());
            return 2;
        }
        try {
            // Checked first: of all the things that can be wrong, listening beyond this machine matters most.
            ListenPolicy.check(cfg.get(Settings.HOST), cfg.auth(), cfg.tls());
        } catch (IllegalArgumentException | IOException e) {
            err.println("hearth-gateway: " + e.getMessage());
            return 2;
        }
        if (cfg.get(Settings.ENGINE_JAR) == null) {
            err.println("hearth-gateway: no engine jar: set " + Settings.ENGINE_JAR.env() + " or "
                    + Settings.ENGINE_JAR.key() + " in --config");
            return 2;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg);
        } catch (IllegalArgumentException | IOException e) {
            err.println("hearth-gateway: " + e.getMessage());
            return 2;
        }
        // SIGINT and SIGTERM run shutdown hooks: this one stops every engine the gateway started, so none is orphaned.
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "hearth-gateway-shutdown"));
        System.out.println("Hearth gateway listening on " + gateway.baseUrl());
        System.out.flush();
        gateway.awaitStopped();
        return 0;
    }

    private Map<String, String> cliValues() {
        Map<String, String> cli = new HashMap<>();
        if (host != null) {
            cli.put(Settings.HOST.key(), host);
        }
        if (port != null) {
            cli.put(Settings.PORT.key(), port.toString());
        }
        return cli;
    }

    private Properties loadConfigFile() throws IOException {
        Properties p = new Properties();
        if (config != null) {
            try (InputStream in = Files.newInputStream(config)) {
                p.load(in);
            } catch (IOException e) {
                throw new IOException("cannot read --config " + config + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    /** {@code --version}: what the build recorded, the same as {@code GET /version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.load();
            return new String[] {"Hearth session gateway " + b.version(), "revision " + b.revision() + " (" + b.branch()
                    + "), built " + b.date()};
        }
    }
}
